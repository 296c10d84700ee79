package io.flowcast.trajectory;

/**
 * Weighted moments of a set of sampled paths at one path offset (weights summing to one). The offline rapid update
 * ({@link ForecastState}) and the topology's ({@link WeightedPaths}) must score a position under the same kernel
 * mixture, so both take its moments and bandwidth from here.
 */
record WeightedMoments(double meanX, double meanY, double xx, double xy, double yy) {

    /**
     * @param paths   samples' paths, {@code stride} floats each, x, y interleaved
     * @param weights one weight per sample
     * @param at      offset of the step's x inside a path
     */
    static WeightedMoments of(float[] paths, double[] weights, int samples, int stride, int at) {
        double mx = mean(paths, weights, samples, stride, at);
        double my = mean(paths, weights, samples, stride, at + 1);
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < samples; i++) {
            double dx = paths[i * stride + at] - mx;
            double dy = paths[i * stride + at + 1] - my;
            sxx += weights[i] * dx * dx;
            sxy += weights[i] * dx * dy;
            syy += weights[i] * dy * dy;
        }
        return new WeightedMoments(mx, my, sxx, sxy, syy);
    }

    /**
     * Scott's rule for an isotropic 2-D kernel over {@code ess} effective samples, floored at {@code minBandwidth}
     * (degenerate or non-finite spreads get the floor).
     */
    double scottBandwidth(double ess, double minBandwidth) {
        return floored((xx + yy) / 2, ess, minBandwidth);
    }

    /** {@link #scottBandwidth(double, double)} of the moments at {@code at}, without allocating (the update's path). */
    static double scottBandwidth(float[] paths, double[] weights, int samples, int stride, int at, double ess,
            double minBandwidth) {
        double mx = mean(paths, weights, samples, stride, at);
        double my = mean(paths, weights, samples, stride, at + 1);
        double variance = 0;
        for (int i = 0; i < samples; i++) {
            double dx = paths[i * stride + at] - mx;
            double dy = paths[i * stride + at + 1] - my;
            variance += weights[i] * (dx * dx + dy * dy);
        }
        return floored(variance / 2, ess, minBandwidth);
    }

    private static double mean(float[] paths, double[] weights, int samples, int stride, int offset) {
        double mean = 0;
        for (int i = 0; i < samples; i++) {
            mean += weights[i] * paths[i * stride + offset];
        }
        return mean;
    }

    private static double floored(double variancePerAxis, double ess, double minBandwidth) {
        double sigma = Math.sqrt(variancePerAxis) * Math.pow(Math.max(ess, 1), -1.0 / 6);
        return Double.isFinite(sigma) ? Math.max(sigma, minBandwidth) : minBandwidth;
    }
}
