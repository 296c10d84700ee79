package io.flowcast.anomaly.nab;

/**
 * A detector's output on one NAB file: one anomaly score in [0, 1] per record, in record order, with the record
 * timestamps the label windows are matched against.
 */
public record ScoredSeries(String name, long[] timestampsMillis, double[] scores) {

    public ScoredSeries {
        if (timestampsMillis.length != scores.length) {
            throw new IllegalArgumentException(name + ": " + timestampsMillis.length + " timestamps but " + scores.length + " scores");
        }
    }

    public int size() {
        return scores.length;
    }
}
