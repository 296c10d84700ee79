package io.flowcast.bench.nab;

/**
 * A detector the NAB harness streams one file through, record by record in time order. It must be causal: the score
 * of a record may use that record and the ones before it, never later ones. One instance sees one file.
 */
public interface StreamingDetector extends AutoCloseable {

    /** Scores the record, then may learn from it. Returns an anomaly score in [0, 1] (higher = more anomalous). */
    double score(long timestampMillis, double value);

    /** Releases native resources (ONNX sessions, forests); called once the file is done. */
    @Override
    default void close() {
    }
}
