package io.flowcast.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.SourceRef;
import java.util.List;

/**
 * A trajectory forecast as published on {@code flowcast.forecasts} (keyed by the entity id): sampled paths, the most
 * likely path and the Gaussian summary of each horizon, and the log-density of the position that triggered it under
 * the previous forecast (the trajectory anomaly score; absent for an agent's first forecast).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ForecastRecord(String entityId, long eventTime, SourceRef source, ModelRef model, double stepSeconds,
        int horizonSteps, float[][][] samples, float[][] mostLikely, List<Horizon> horizons,
        Double observedLogDensity, String update, Long forecastAt) {

    /** One horizon step's position, summarised. */
    public record Horizon(int step, double[] mean, double[][] covariance) {
    }
}
