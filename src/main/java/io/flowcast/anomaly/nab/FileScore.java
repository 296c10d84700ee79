package io.flowcast.anomaly.nab;

/**
 * One file's share of a corpus score at the corpus-wide threshold: raw score, windows found, false-positive records.
 */
public record FileScore(String name, String category, int windows, double rawScore, int detectedWindows,
                        int falsePositives) {
}
