package io.flowcast.trajectory;

/**
 * One agent's forecast from the chain, in world metres: N sampled future paths with their exact log-densities, and
 * the most likely path.
 *
 * @param samples            N
 * @param horizons           H, future steps per path
 * @param paths              N paths of H positions, back to back, x, y interleaved
 * @param stepLogDensity     per sample and step, log p(y_n | y_{n-1}, y_{n-2}, history) [N * H]
 * @param jointLogDensity    per sample, the exact joint log-density of its whole path (sum over its steps) [N]
 * @param mostLikely         the candidate path with the highest joint density (the samples and the zero-code path)
 * @param mostLikelyLogDensity its joint log-density
 */
public record TrajectoryForecast(int samples, int horizons, float[] paths, float[] stepLogDensity,
        float[] jointLogDensity, float[] mostLikely, double mostLikelyLogDensity) {

    public TrajectoryForecast {
        if (paths.length != samples * 2 * horizons || stepLogDensity.length != samples * horizons
                || jointLogDensity.length != samples || mostLikely.length != 2 * horizons) {
            throw new IllegalArgumentException("array sizes do not match " + samples + " samples x " + horizons);
        }
    }
}
