package io.flowcast.bench.nab;

/**
 * What a detector is told about a file before its first record, which is what NAB tells its detectors: the file's
 * key and its probationary period (the records that are not scored, so the detector can learn). No values.
 */
public record SeriesContext(String name, int probationaryRecords) {
}
