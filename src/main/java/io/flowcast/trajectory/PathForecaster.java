package io.flowcast.trajectory;

import io.flowcast.anomaly.ModelRef;
import java.util.List;

/**
 * What the topology needs from a trajectory model: forecasts for a batch of agents from their last
 * {@link #observedSteps()} positions: the constant-velocity Gaussian ({@link ConstantVelocityForecaster}) or a trained
 * flow chain ({@link ChainPathForecaster}), possibly behind a {@link SwappableForecaster}.
 */
public interface PathForecaster {

    /** The model version every forecast names. */
    ModelRef model();

    /** Positions of history a forecast needs (the oldest first). */
    int observedSteps();

    /** Future steps of every path. */
    int horizons();

    /** Seconds between steps, of the history and of the forecast alike. */
    double stepSeconds();

    /**
     * Forecasts each agent of the batch.
     *
     * @param histories per agent {@code observedSteps} positions, x, y interleaved, oldest first
     * @param seeds     per agent, seeds its samples (derive it from the record, so a replay gives the same output)
     * @param samples   paths to sample per agent
     */
    List<PathForecast> forecast(List<float[]> histories, long[] seeds, int samples);

    /**
     * Whether the topology may update this model's forecasts between runs by re-weighting their samples
     * ({@link WeightedPaths}) instead of running the model on every position: worth it when a run costs far more
     * than a re-weighting (a flow chain), not for a closed-form model.
     */
    default boolean reweightable() {
        return false;
    }

    /** The model that serves now (a swappable forecaster answers its current delegate, so one round uses one). */
    default PathForecaster current() {
        return this;
    }

    /**
     * The exact log-density, under this model, of each agent's latest position given the history its last forecast
     * started from and the positions observed since: log p(o_k | o_{k-1} .. o_1, history), the density of the
     * forecast updated by those observations, without any sample approximation. NaN where the model gives none
     * (the default).
     *
     * @param histories per agent the {@code observedSteps} positions the forecast started from
     * @param since     per agent the k >= 1 positions observed since, one per step in order; the last is scored
     */
    default double[] nextLogDensities(List<float[]> histories, List<float[]> since) {
        double[] out = new double[histories.size()];
        java.util.Arrays.fill(out, Double.NaN);
        return out;
    }
}
