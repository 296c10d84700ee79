package io.flowcast.trajectory;

/**
 * The length unit of an agent's {@link CanonicalFrame}, set from its own observed speed: one local unit is
 * {@code s = max(minScale, meanStep / referenceStep)} metres, meanStep the mean length of the observed steps. With
 * it a fast walker's history and future look like a walker at the reference speed, so the chain's flows see speeds
 * they were trained on (ETH's test walkers are twice the training pool's median speed). A density over local
 * coordinates becomes a density over metres by the Jacobian 1 / s^2 per position ({@link CanonicalFrame#logScale}).
 *
 * <p>{@link #NONE} keeps metres (s = 1). The reference is measured on the training windows
 * ({@link #medianStep}), never assumed per scene; {@code minScale = 1} only shrinks walkers faster than the
 * reference, a smaller value also stretches slow ones.
 *
 * @param referenceStep metres per step that map to one local unit; 0 means no scaling
 * @param minScale      the smallest scale used (stationary agents would otherwise be blown up)
 */
public record SpeedScale(double referenceStep, double minScale) {

    /** No scaling: local units are metres. */
    public static final SpeedScale NONE = new SpeedScale(0, 1);

    public SpeedScale {
        if (!(referenceStep >= 0) || Double.isInfinite(referenceStep)) {
            throw new IllegalArgumentException("referenceStep must be finite and >= 0: " + referenceStep);
        }
        if (!(minScale > 0) || Double.isInfinite(minScale)) {
            throw new IllegalArgumentException("minScale must be finite and > 0: " + minScale);
        }
    }

    public boolean enabled() {
        return referenceStep > 0;
    }

    /** The scale of a history of {@code steps} positions at {@code offset} (x, y interleaved); 1 when disabled. */
    public double scaleOf(float[] xy, int offset, int steps) {
        if (!enabled() || steps < 2) {
            return 1;
        }
        double sum = 0;
        for (int t = 1; t < steps; t++) {
            int at = offset + 2 * t;
            sum += Math.hypot(xy[at] - xy[at - 2], xy[at + 1] - xy[at - 1]);
        }
        double scale = sum / (steps - 1) / referenceStep;
        // A history with NaN or infinite positions gets the floor rather than a NaN unit.
        return scale >= minScale && Double.isFinite(scale) ? scale : minScale;
    }

    /**
     * The median step length (metres) over the observed histories of the windows: the reference measured on the
     * training data. Windows with non-finite positions are skipped; 0 when there is no step at all.
     */
    public static double medianStep(java.util.List<TrajectoryWindow> windows) {
        double[] steps = new double[windows.size()];
        int n = 0;
        for (TrajectoryWindow window : windows) {
            float[] o = window.observed();
            int last = o.length - 2;
            if (last < 2) {
                continue;
            }
            double step = Math.hypot(o[last] - o[last - 2], o[last + 1] - o[last - 1]);
            if (Double.isFinite(step)) {
                steps[n++] = step;
            }
        }
        if (n == 0) {
            return 0;
        }
        java.util.Arrays.sort(steps, 0, n);
        return n % 2 == 1 ? steps[n / 2] : 0.5 * (steps[n / 2 - 1] + steps[n / 2]);
    }
}
