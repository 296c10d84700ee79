package io.flowcast.bench.nab;

import java.util.List;

/**
 * NAB's published scoreboard (README "Scoreboard", NAB v1.0, full 58-file corpus, null = 0 and perfect = 100), to
 * print beside our numbers. These are full-corpus scores; ours on a subset of files are not directly comparable.
 */
public final class PublishedScoreboard {

    /** One published entry: standard, reward-low-FP and reward-low-FN scores. */
    public record Entry(String detector, double standard, double lowFp, double lowFn) {
    }

    public static final List<Entry> ENTRIES = List.of(
            new Entry("Perfect", 100.0, 100.0, 100.0),
            new Entry("ARTime", 74.9, 65.1, 80.4),
            new Entry("Numenta HTM (NuPIC 1.0)", 70.5, 62.6, 75.2),
            new Entry("CAD OSE", 69.9, 67.0, 73.2),
            new Entry("earthgecko Skyline", 58.2, 46.2, 63.9),
            new Entry("KNN CAD", 58.0, 43.4, 64.8),
            new Entry("Relative Entropy", 54.6, 47.6, 58.8),
            new Entry("Random Cut Forest (AWS Kinesis)", 51.7, 38.4, 59.7),
            new Entry("Twitter ADVec v1.0.0", 47.1, 33.6, 53.5),
            new Entry("Windowed Gaussian", 39.6, 20.9, 47.4),
            new Entry("Etsy Skyline", 35.7, 27.1, 44.5),
            new Entry("Bayesian Changepoint", 17.7, 3.2, 32.2),
            new Entry("EXPoSE", 16.4, 3.2, 26.9),
            new Entry("Random", 11.0, 1.2, 19.5),
            new Entry("Null", 0.0, 0.0, 0.0));

    private PublishedScoreboard() {
    }
}
