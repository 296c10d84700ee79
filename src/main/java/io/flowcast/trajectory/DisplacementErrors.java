package io.flowcast.trajectory;

/**
 * Average and final displacement errors (metres) of forecast paths, and their best-of-N forms as the literature
 * reports them. Paths are x, y interleaved, one position per future step.
 */
public final class DisplacementErrors {

    private DisplacementErrors() {
    }

    /**
     * Best of N samples. {@code minAde} and {@code minFde} are minimised separately (the usual, optimistic
     * reading); the joint variant takes the one sample with the lowest ADE and reports its ADE and its FDE, so one
     * sample must be good for both.
     */
    public record BestOfN(double minAde, double minFde, double jointAde, double jointFde) {
    }

    /** Mean Euclidean distance over the steps of one path. */
    public static double ade(float[] predicted, int offset, float[] truth) {
        int steps = truth.length / 2;
        double sum = 0;
        for (int t = 0; t < steps; t++) {
            sum += distance(predicted, offset + 2 * t, truth, 2 * t);
        }
        return sum / steps;
    }

    public static double ade(float[] predicted, float[] truth) {
        return ade(predicted, 0, truth);
    }

    /** Distance at the last step. */
    public static double fde(float[] predicted, int offset, float[] truth) {
        int last = truth.length - 2;
        return distance(predicted, offset + last, truth, last);
    }

    public static double fde(float[] predicted, float[] truth) {
        return fde(predicted, 0, truth);
    }

    /** Best of the {@code n} paths stored back to back in {@code samples} ({@code n * truth.length} values). */
    public static BestOfN bestOf(float[] samples, int n, float[] truth) {
        if (n < 1 || samples.length < n * truth.length) {
            throw new IllegalArgumentException("need n >= 1 paths of " + truth.length / 2 + " steps");
        }
        double minAde = Double.POSITIVE_INFINITY;
        double minFde = Double.POSITIVE_INFINITY;
        double jointFde = Double.NaN;
        for (int i = 0; i < n; i++) {
            int offset = i * truth.length;
            double ade = ade(samples, offset, truth);
            double fde = fde(samples, offset, truth);
            if (ade < minAde) {
                minAde = ade;
                jointFde = fde;
            }
            minFde = Math.min(minFde, fde);
        }
        return new BestOfN(minAde, minFde, minAde, jointFde);
    }

    private static double distance(float[] a, int i, float[] b, int j) {
        return Math.hypot(a[i] - b[j], a[i + 1] - b[j + 1]);
    }
}
