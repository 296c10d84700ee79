package io.flowcast.anomaly.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * NAB's threshold optimisation ({@code nab/optimizer.py} with {@code Sweeper.calcScoreByThreshold}): the scorable
 * records of all files are pooled and sorted by anomaly score once, then the threshold walks down through every
 * distinct score, starting from 1.1 (no detections). Each record passed becomes a detection: outside a window it adds
 * its false-positive cost, inside one it raises that window's value to max(current, its credit), which keeps the
 * earliest detection. The corpus score at each threshold is updated incrementally, so the whole sweep is
 * O(N log N) for the sort plus O(N) per profile instead of rescoring the corpus for every threshold.
 *
 * <p>Ties: all records with the same score are passed before that threshold's score is taken (a threshold t detects
 * score >= t), and among thresholds with equal corpus scores the highest wins, as NAB's stable descending sort does.
 */
final class ThresholdSweep {

    /** The starting threshold, above every score in [0, 1]: no record is a detection. */
    static final double NO_DETECTIONS = 1.1;

    /** One step of the sweep. */
    record Step(double threshold, double rawScore, int detectedWindows, int falsePositives) {
    }

    private final int windowCount;
    private final double[] scores;
    private final int[] windows;
    private final double[] credits;

    ThresholdSweep(List<SeriesSweep> files) {
        int total = files.stream().mapToInt(SeriesSweep::scorableCount).sum();
        double[] pooledScores = new double[total];
        int[] pooledWindows = new int[total];
        double[] pooledCredits = new double[total];
        int offset = 0;
        int windowOffset = 0;
        for (SeriesSweep file : files) {
            for (int j = 0; j < file.scorableCount(); j++) {
                pooledScores[offset] = file.score(j);
                int window = file.window(j);
                pooledWindows[offset] = window == SeriesSweep.OUTSIDE ? SeriesSweep.OUTSIDE : windowOffset + window;
                pooledCredits[offset] = file.credit(j);
                offset++;
            }
            windowOffset += file.windowCount();
        }
        this.windowCount = windowOffset;

        int[] order = descendingOrder(pooledScores);
        this.scores = new double[total];
        this.windows = new int[total];
        this.credits = new double[total];
        for (int r = 0; r < total; r++) {
            scores[r] = pooledScores[order[r]];
            windows[r] = pooledWindows[order[r]];
            credits[r] = pooledCredits[order[r]];
        }
    }

    /** Indices of {@code values}, highest value first. */
    private static int[] descendingOrder(double[] values) {
        Integer[] boxed = new Integer[values.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(values[b], values[a]));
        int[] order = new int[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = boxed[i];
        }
        return order;
    }

    int windowCount() {
        return windowCount;
    }

    /** Every threshold NAB tries, from 1.1 down to the lowest score, with the corpus score at each. */
    List<Step> curve(NabProfile profile) {
        List<Step> steps = new ArrayList<>();
        sweep(profile, steps::add);
        return steps;
    }

    /** The threshold with the highest corpus score (the highest such threshold on ties). */
    Step best(NabProfile profile) {
        Step[] best = new Step[1];
        sweep(profile, step -> {
            if (best[0] == null || step.rawScore() > best[0].rawScore()) {
                best[0] = step;
            }
        });
        return best[0];
    }

    private void sweep(NabProfile profile, Consumer<Step> sink) {
        double[] windowValue = new double[windowCount];
        Arrays.fill(windowValue, -profile.fnWeight());
        boolean[] found = new boolean[windowCount];
        double windowSum = -profile.fnWeight() * windowCount;
        double falsePositiveSum = 0.0;
        int detected = 0;
        int falsePositives = 0;
        sink.accept(new Step(NO_DETECTIONS, windowSum, 0, 0));
        int r = 0;
        while (r < scores.length) {
            double threshold = scores[r];
            for (; r < scores.length && scores[r] == threshold; r++) {
                int window = windows[r];
                if (window == SeriesSweep.OUTSIDE) {
                    falsePositiveSum += profile.fpWeight() * credits[r];
                    falsePositives++;
                    continue;
                }
                double value = profile.tpWeight() * credits[r];
                if (!found[window]) {
                    found[window] = true;
                    detected++;
                }
                if (value > windowValue[window]) {
                    windowSum += value - windowValue[window];
                    windowValue[window] = value;
                }
            }
            sink.accept(new Step(threshold, windowSum + falsePositiveSum, detected, falsePositives));
        }
    }
}
