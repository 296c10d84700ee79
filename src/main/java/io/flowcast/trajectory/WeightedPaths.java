package io.flowcast.trajectory;

import java.util.Arrays;
import java.util.Objects;

/**
 * An agent's forecast as a weighted sample set that a new position updates without the model (the rapid update):
 * the model's sampled paths (world metres), their importance weights, their exact joint log-densities under the
 * model, and how many steps of the paths have been observed. Immutable: {@link #observe} returns the next state, so
 * it can sit in a persistent store. The math is {@link ForecastState}'s (the offline form the ETH/UCY bench times):
 *
 * <ol>
 *   <li>score: the weighted Gaussian-kernel density of the samples at the observed step, at the observed position
 *       (the trajectory anomaly score of a re-weighted update);</li>
 *   <li>re-weight: w_i &lt;- w_i K(o - y_i), the kernel likelihood of the observation given sample i;</li>
 *   <li>re-anchor: each sample's remaining path is shifted by (o - y_i), so it continues from where the agent is.</li>
 * </ol>
 *
 * The kernel's width is Scott's rule on the weighted samples of the step (ESS^(-1/6) in 2-d), floored by
 * {@link RapidUpdateConfig#minBandwidth}. The most likely path after an update is the sample of highest posterior
 * weight w_i p(path_i) (its stored log-density plus its log-weight), re-anchored; without stored densities, the model's
 * most likely path re-anchored.
 *
 * @param observed steps of the paths already observed (0 right after a model run)
 */
public record WeightedPaths(int samples, int horizons, int observed, float[] paths, double[] weights,
        float[] logDensities, float[] mostLikely) {

    private static final double LOG_TWO_PI = Math.log(2 * Math.PI);

    /** The score of an observed position and the forecast after it. */
    public record Update(double logDensity, WeightedPaths next) {
    }

    public WeightedPaths {
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(logDensities, "logDensities");
        Objects.requireNonNull(mostLikely, "mostLikely");
        if (samples < 1 || horizons < 1 || observed < 0 || observed > horizons
                || paths.length != samples * 2 * horizons || weights.length != samples
                || logDensities.length != samples || mostLikely.length != 2 * horizons) {
            throw new IllegalArgumentException("inconsistent weighted paths: " + samples + " samples x " + horizons
                    + " horizons, " + observed + " observed");
        }
    }

    /** A fresh model forecast: equal weights, nothing observed. */
    public static WeightedPaths of(PathForecast forecast) {
        double[] weights = new double[forecast.samples()];
        Arrays.fill(weights, 1.0 / forecast.samples());
        return new WeightedPaths(forecast.samples(), forecast.horizons(), 0, forecast.paths().clone(), weights,
                forecast.sampleLogDensities().clone(), forecast.mostLikely().clone());
    }

    /** Steps of the paths still ahead. */
    public int remaining() {
        return horizons - observed;
    }

    /** Kish's effective sample size of the weights. */
    public double effectiveSampleSize() {
        double squares = 0;
        for (double w : weights) {
            squares += w * w;
        }
        return squares > 0 ? 1 / squares : 0;
    }

    /** Whether the model should run again: weights degenerated, step budget spent, or the paths used up. */
    public boolean needsRerun(RapidUpdateConfig config) {
        return observed >= horizons || observed >= config.maxSteps()
                || effectiveSampleSize() < config.essFraction() * samples;
    }

    /**
     * The position at path step {@code step} (1-based, past the observed ones; a skipped step is allowed) is
     * (x, y): its log-density under the forecast as it stands, and the re-weighted, re-anchored forecast. A step
     * out of reach or a non-finite position gives a NaN score and no next state.
     */
    public Update observe(int step, double x, double y, RapidUpdateConfig config) {
        if (step <= observed || step > horizons || !Double.isFinite(x) || !Double.isFinite(y)) {
            return new Update(Double.NaN, null);
        }
        int at = 2 * (step - 1);
        int stride = 2 * horizons;
        double bandwidth = bandwidth(at, config.minBandwidth());
        double inverseVariance = 1 / (bandwidth * bandwidth);
        double logNorm = -LOG_TWO_PI - 2 * Math.log(bandwidth);
        double[] logKernel = new double[samples];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < samples; i++) {
            double dx = x - paths[i * stride + at];
            double dy = y - paths[i * stride + at + 1];
            logKernel[i] = logNorm - 0.5 * (dx * dx + dy * dy) * inverseVariance;
            if (weights[i] > 0 && logKernel[i] > max) {
                max = logKernel[i];
            }
        }
        double[] next = new double[samples];
        double total = 0;
        for (int i = 0; i < samples; i++) {
            next[i] = weights[i] * Math.exp(logKernel[i] - max);
            total += next[i];
        }
        if (!(total > 0) || !Double.isFinite(max)) {
            return new Update(Double.NaN, null);
        }
        // The weights summed to one, so the kernel mixture's density at (x, y) is exp(max) * total.
        double score = max + Math.log(total);
        float[] moved = paths.clone();
        int best = -1;
        double bestLog = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < samples; i++) {
            next[i] /= total;
            reanchor(moved, i * stride, at, x, y);
            double posterior = Math.log(next[i]) + logDensities[i];
            if (next[i] > 0 && posterior > bestLog) {
                bestLog = posterior;
                best = i;
            }
        }
        float[] likely;
        if (best >= 0) {
            likely = Arrays.copyOfRange(moved, best * stride, (best + 1) * stride);
        } else {
            likely = mostLikely.clone();
            reanchor(likely, 0, at, x, y);
        }
        return new Update(score, new WeightedPaths(samples, horizons, step, moved, next, logDensities, likely));
    }

    /** Scott's rule on the weighted samples at path offset {@code at}, floored. */
    public double bandwidth(int at, double minBandwidth) {
        return WeightedMoments.scottBandwidth(paths, weights, samples, 2 * horizons, at, effectiveSampleSize(),
                minBandwidth);
    }

    /**
     * The forecast from now on, as published: the remaining steps of every path, of the most likely path, and per
     * remaining step the mean and covariance of the kernel mixture the next position is scored under (the weighted
     * sample covariance plus the kernel's bandwidth squared on the diagonal: that mixture's exact moments).
     */
    public PathForecast remainingForecast(RapidUpdateConfig config) {
        int left = remaining();
        int stride = 2 * horizons;
        float[] rest = new float[samples * 2 * left];
        for (int i = 0; i < samples; i++) {
            System.arraycopy(paths, i * stride + 2 * observed, rest, i * 2 * left, 2 * left);
        }
        float[] likely = Arrays.copyOfRange(mostLikely, 2 * observed, stride);
        double[] means = new double[2 * left];
        double[] covariances = new double[3 * left];
        for (int h = 0; h < left; h++) {
            int at = 2 * (observed + h);
            WeightedMoments moments = WeightedMoments.of(paths, weights, samples, stride, at);
            double b = moments.scottBandwidth(effectiveSampleSize(), config.minBandwidth());
            means[2 * h] = moments.meanX();
            means[2 * h + 1] = moments.meanY();
            covariances[3 * h] = moments.xx() + b * b;
            covariances[3 * h + 1] = moments.xy();
            covariances[3 * h + 2] = moments.yy() + b * b;
        }
        return new PathForecast(samples, left, rest, likely, means, covariances);
    }

    private void reanchor(float[] path, int offset, int at, double x, double y) {
        float shiftX = (float) (x - path[offset + at]);
        float shiftY = (float) (y - path[offset + at + 1]);
        for (int s = at; s < 2 * horizons; s += 2) {
            path[offset + s] += shiftX;
            path[offset + s + 1] += shiftY;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WeightedPaths o && samples == o.samples && horizons == o.horizons
                && observed == o.observed && Arrays.equals(paths, o.paths) && Arrays.equals(weights, o.weights)
                && Arrays.equals(logDensities, o.logDensities) && Arrays.equals(mostLikely, o.mostLikely);
    }

    @Override
    public int hashCode() {
        return Objects.hash(samples, horizons, observed, Arrays.hashCode(paths), Arrays.hashCode(weights));
    }

    @Override
    public String toString() {
        return "WeightedPaths[" + samples + " x " + horizons + ", observed " + observed + ", ess "
                + effectiveSampleSize() + "]";
    }
}
