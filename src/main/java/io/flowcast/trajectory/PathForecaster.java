package io.flowcast.trajectory;

import io.flowcast.anomaly.ModelRef;
import java.util.List;

/**
 * What the topology needs from a trajectory model: forecasts for a batch of agents from their last
 * {@link #observedSteps()} positions. The constant-velocity Gaussian serves now; a trained flow chain plugs in behind
 * the same interface.
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
}
