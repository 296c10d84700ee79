package io.flowcast.anomaly;

import java.util.Arrays;

/**
 * Turns a raw anomaly score (the negative log-density) into a calibrated tail probability by comparing it with the
 * raw scores of held-out records the model never saw in fitting. The tail probability of score s is the conformal
 * p-value (1 + #{held-out scores >= s}) / (n + 1): on exchangeable data P(p <= alpha) <= alpha, so a threshold
 * alpha bounds the false-alarm rate, and p is never 0. The sample travels with the model it calibrates.
 */
public final class HeldOutCalibration {

    private final double[] sortedScores;

    private HeldOutCalibration(double[] sortedScores) {
        this.sortedScores = sortedScores;
    }

    /**
     * @param rawScores negative log-densities of held-out records; non-finite ones are dropped (a model that cannot
     *                  score a record says nothing about its rank)
     */
    public static HeldOutCalibration of(double[] rawScores) {
        double[] finite = Arrays.stream(rawScores).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            throw new IllegalArgumentException("a calibration needs at least one finite held-out score");
        }
        return new HeldOutCalibration(finite);
    }

    /** Number of held-out scores. */
    public int size() {
        return sortedScores.length;
    }

    /** The smallest tail probability this calibration can give: 1 / (n + 1). */
    public double resolution() {
        return 1.0 / (sortedScores.length + 1);
    }

    /** (1 + #{held-out scores >= rawScore}) / (n + 1); 1 for NaN (no evidence of anything). */
    public double tailProbability(double rawScore) {
        if (Double.isNaN(rawScore)) {
            return 1;
        }
        int atLeast = sortedScores.length - firstIndexNotBelow(rawScore);
        return (1.0 + atLeast) / (sortedScores.length + 1.0);
    }

    /** 1 - {@link #tailProbability}: the calibrated anomaly grade, near 1 for records the model finds unlikely. */
    public double grade(double rawScore) {
        return 1.0 - tailProbability(rawScore);
    }

    /**
     * A compact form to store with the model: every one of the top {@code exactTop} scores and about {@code spaced}
     * evenly ranked scores below; its tail probabilities are never below this calibration's (see
     * {@link CalibrationSketch}). With n <= exactTop + spaced it keeps every score and is exact.
     */
    public CalibrationSketch sketch(int exactTop, int spaced) {
        return CalibrationSketch.of(sortedScores, exactTop, spaced);
    }

    /** The held-out score at quantile q in [0, 1] (nearest rank). */
    public double quantile(double q) {
        int index = (int) Math.ceil(q * sortedScores.length) - 1;
        return sortedScores[Math.min(sortedScores.length - 1, Math.max(0, index))];
    }

    /** A copy of the sorted held-out scores, for persisting the calibration with its model. */
    public double[] scores() {
        return sortedScores.clone();
    }

    private int firstIndexNotBelow(double value) {
        int low = 0;
        int high = sortedScores.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sortedScores[mid] < value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
