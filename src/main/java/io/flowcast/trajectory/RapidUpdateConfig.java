package io.flowcast.trajectory;

/**
 * When a {@link ForecastState} asks for the model again, and how wide its kernels are.
 *
 * @param essFraction    re-run the model when the effective sample size falls under this share of the samples
 * @param maxSteps       re-run after this many observed steps even if the weights are healthy
 * @param minBandwidth   the kernel's standard deviation never goes under this (metres): positions carry
 *                       annotation noise, and a kernel narrower than that turns one observation into a verdict
 */
public record RapidUpdateConfig(double essFraction, int maxSteps, double minBandwidth) {

    public RapidUpdateConfig {
        if (!(essFraction >= 0 && essFraction <= 1)) {
            throw new IllegalArgumentException("essFraction must be in [0, 1]: " + essFraction);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be >= 1: " + maxSteps);
        }
        if (!(minBandwidth > 0) || Double.isInfinite(minBandwidth)) {
            throw new IllegalArgumentException("minBandwidth must be positive and finite: " + minBandwidth);
        }
    }

    /** Re-run under half the samples' worth of weight, or every 4 steps (1.6 s); kernels at least 5 cm wide. */
    public static RapidUpdateConfig defaults() {
        return new RapidUpdateConfig(0.5, 4, 0.05);
    }
}
