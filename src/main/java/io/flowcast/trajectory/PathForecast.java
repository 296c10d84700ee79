package io.flowcast.trajectory;

/**
 * One agent's forecast as the topology publishes it, in world metres: sampled paths, the most likely path and a
 * Gaussian summary of the position at each horizon.
 *
 * @param paths       {@code samples} paths of {@code horizons} positions, back to back, x, y interleaved
 * @param mostLikely  the most likely path, {@code 2 * horizons} values
 * @param means       per horizon the mean position, {@code 2 * horizons} values
 * @param covariances per horizon the covariance xx, xy, yy, {@code 3 * horizons} values
 * @param sampleLogDensities per sampled path, its exact joint log-density under the model ({@code samples} values;
 *                    NaN where the model does not give one): a rapid update ranks the re-weighted samples by it
 */
public record PathForecast(int samples, int horizons, float[] paths, float[] mostLikely, double[] means,
        double[] covariances, float[] sampleLogDensities) {

    public PathForecast {
        if (paths.length != samples * 2 * horizons || mostLikely.length != 2 * horizons
                || means.length != 2 * horizons || covariances.length != 3 * horizons
                || sampleLogDensities.length != samples) {
            throw new IllegalArgumentException("array sizes do not match " + samples + " samples x " + horizons);
        }
    }

    /** A forecast whose samples' densities are unknown. */
    public PathForecast(int samples, int horizons, float[] paths, float[] mostLikely, double[] means,
            double[] covariances) {
        this(samples, horizons, paths, mostLikely, means, covariances, unknown(samples));
    }

    private static float[] unknown(int samples) {
        float[] values = new float[Math.max(samples, 0)];
        java.util.Arrays.fill(values, Float.NaN);
        return values;
    }
}
