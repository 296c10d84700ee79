package io.flowcast.trajectory;

/**
 * An agent's live forecast between model runs: the stored sample paths with importance weights. When the agent's
 * next position arrives, {@link #observe} scores it against the current forecast and updates the forecast without
 * touching the model:
 *
 * <ol>
 *   <li>score: log of the weighted Gaussian-kernel density of the samples at this step, at the observed position
 *       (the trajectory anomaly score);</li>
 *   <li>re-weight: w_i <- w_i K(o - y_i), the kernel likelihood of the observation given sample i;</li>
 *   <li>re-anchor: each sample's remaining path is shifted by (o - y_i) so that it continues from where the agent
 *       really is (the step flows model the residual to constant velocity, which a shift leaves unchanged).</li>
 * </ol>
 *
 * The kernel's width follows Scott's rule on the weighted samples of the step (ESS^(-1/6) in 2-d), floored by
 * {@link RapidUpdateConfig#minBandwidth}. {@link #needsRerun} says when the weights have degenerated (effective
 * sample size under the threshold) or the configured number of steps has passed.
 *
 * <p>All buffers are allocated once per capacity; {@link #reset} and {@link #observe} allocate nothing. Not
 * thread-safe: one state per agent, updated by the thread that owns the agent.
 */
public final class ForecastState {

    private static final double LOG_TWO_PI = Math.log(2 * Math.PI);

    private final RapidUpdateConfig config;
    private final int capacity;
    private final int horizons;
    private final float[] paths;
    private final float[] mostLikely;
    private final double[] weights;
    private final double[] logKernel;
    private int samples;
    private int elapsed;
    private double ess;

    public ForecastState(int capacity, int horizons, RapidUpdateConfig config) {
        if (capacity < 1 || horizons < 1) {
            throw new IllegalArgumentException("capacity and horizons must be >= 1");
        }
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.capacity = capacity;
        this.horizons = horizons;
        this.paths = new float[capacity * 2 * horizons];
        this.mostLikely = new float[2 * horizons];
        this.weights = new double[capacity];
        this.logKernel = new double[capacity];
        this.elapsed = horizons; // empty until the first reset: needs a model run
    }

    /** Loads a fresh forecast from the model: equal weights, nothing observed yet. */
    public void reset(TrajectoryForecast forecast) {
        if (forecast.samples() > capacity || forecast.horizons() != horizons) {
            throw new IllegalArgumentException("forecast of " + forecast.samples() + " x " + forecast.horizons()
                    + " does not fit capacity " + capacity + " x " + horizons);
        }
        samples = forecast.samples();
        System.arraycopy(forecast.paths(), 0, paths, 0, samples * 2 * horizons);
        System.arraycopy(forecast.mostLikely(), 0, mostLikely, 0, 2 * horizons);
        for (int i = 0; i < samples; i++) {
            weights[i] = 1.0 / samples;
        }
        elapsed = 0;
        ess = samples;
    }

    /**
     * The agent's next position arrived: returns its log-density under the forecast as it stood (NaN when the
     * forecast has no step left, or for a non-finite position, which changes nothing), then updates the forecast.
     */
    public double observe(double x, double y) {
        if (elapsed >= horizons || samples == 0 || !Double.isFinite(x) || !Double.isFinite(y)) {
            return Double.NaN;
        }
        int step = 2 * elapsed;
        int pathStride = 2 * horizons;
        double bandwidth = bandwidth(step);
        double inverseVariance = 1 / (bandwidth * bandwidth);
        double logNorm = -LOG_TWO_PI - 2 * Math.log(bandwidth);
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < samples; i++) {
            double dx = x - paths[i * pathStride + step];
            double dy = y - paths[i * pathStride + step + 1];
            double lk = logNorm - 0.5 * (dx * dx + dy * dy) * inverseVariance;
            logKernel[i] = lk;
            if (weights[i] > 0 && lk > max) {
                max = lk;
            }
        }
        double total = 0;
        for (int i = 0; i < samples; i++) {
            double w = weights[i] * Math.exp(logKernel[i] - max);
            weights[i] = w;
            total += w;
        }
        // Weights summed to one before, so the kernel mixture's density is exp(max) * total.
        double score = max + Math.log(total);
        double squares = 0;
        for (int i = 0; i < samples; i++) {
            double w = weights[i] / total;
            weights[i] = w;
            squares += w * w;
            reanchor(i * pathStride, step, x, y);
        }
        reanchor(-1, step, x, y);
        ess = 1 / squares;
        elapsed++;
        return score;
    }

    /** True when the model should run again: weights degenerated, step budget spent, or the forecast used up. */
    public boolean needsRerun() {
        return elapsed >= horizons || elapsed >= config.maxSteps() || ess < config.essFraction() * samples;
    }

    public double effectiveSampleSize() {
        return ess;
    }

    /** Positions observed since the model last ran. */
    public int elapsed() {
        return elapsed;
    }

    public int samples() {
        return samples;
    }

    /** Steps of the forecast still ahead of the agent. */
    public int remainingSteps() {
        return horizons - elapsed;
    }

    public double weight(int sample) {
        return weights[sample];
    }

    /** x (coordinate 0) or y (1) of a sample at {@code stepsAhead} (1 = the next position). */
    public float position(int sample, int stepsAhead, int coordinate) {
        return paths[sample * 2 * horizons + 2 * (elapsed + stepsAhead - 1) + coordinate];
    }

    /** The most likely path, re-anchored like the samples: x or y at {@code stepsAhead}. */
    public float mostLikely(int stepsAhead, int coordinate) {
        return mostLikely[2 * (elapsed + stepsAhead - 1) + coordinate];
    }

    /** Weighted kernel log-density of a point {@code stepsAhead} steps from now (1 = the next position). */
    public double logDensity(int stepsAhead, double x, double y) {
        checkAhead(stepsAhead);
        int step = 2 * (elapsed + stepsAhead - 1);
        double bandwidth = bandwidth(step);
        double inverseVariance = 1 / (bandwidth * bandwidth);
        double logNorm = -LOG_TWO_PI - 2 * Math.log(bandwidth);
        double max = Double.NEGATIVE_INFINITY;
        int pathStride = 2 * horizons;
        for (int i = 0; i < samples; i++) {
            double dx = x - paths[i * pathStride + step];
            double dy = y - paths[i * pathStride + step + 1];
            double lk = -0.5 * (dx * dx + dy * dy) * inverseVariance;
            logKernel[i] = lk;
            if (weights[i] > 0 && lk > max) {
                max = lk;
            }
        }
        double total = 0;
        for (int i = 0; i < samples; i++) {
            total += weights[i] * Math.exp(logKernel[i] - max);
        }
        return logNorm + max + Math.log(total);
    }

    /**
     * Log-density grid {@code stepsAhead} steps from now: cell centres of the square of half-width {@code halfWidth}
     * around (cx, cy), row-major (y rows, x columns), into {@code out} (cells * cells values).
     */
    public void densityGrid(int stepsAhead, double cx, double cy, double halfWidth, int cells, float[] out) {
        checkAhead(stepsAhead);
        if (out.length < cells * cells) {
            throw new IllegalArgumentException("out holds " + out.length + " values, need " + cells * cells);
        }
        double cell = 2 * halfWidth / cells;
        for (int iy = 0; iy < cells; iy++) {
            double y = cy - halfWidth + (iy + 0.5) * cell;
            for (int ix = 0; ix < cells; ix++) {
                out[iy * cells + ix] = (float) logDensity(stepsAhead, cx - halfWidth + (ix + 0.5) * cell, y);
            }
        }
    }

    /** Scott's rule on the weighted samples at one step, floored. */
    private double bandwidth(int step) {
        return WeightedMoments.scottBandwidth(paths, weights, samples, 2 * horizons, step, ess,
                config.minBandwidth());
    }

    /** Shifts the rest of one path (offset -1: the most likely path) so that it passes through (x, y) at step. */
    private void reanchor(int offset, int step, double x, double y) {
        float[] path = offset < 0 ? mostLikely : paths;
        int at = Math.max(offset, 0);
        float shiftX = (float) (x - path[at + step]);
        float shiftY = (float) (y - path[at + step + 1]);
        for (int s = step; s < 2 * horizons; s += 2) {
            path[at + s] += shiftX;
            path[at + s + 1] += shiftY;
        }
    }

    private void checkAhead(int stepsAhead) {
        if (stepsAhead < 1 || stepsAhead > remainingSteps()) {
            throw new IllegalArgumentException("stepsAhead must be in 1.." + remainingSteps() + ": " + stepsAhead);
        }
    }
}
