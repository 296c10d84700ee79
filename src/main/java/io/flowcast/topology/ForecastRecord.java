package io.flowcast.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.SourceRef;
import java.util.List;

/**
 * A trajectory forecast as published on {@code flowcast.forecasts} (keyed by the entity id): sampled paths, the most
 * likely path and the Gaussian summary of each horizon, and the log-density of the position that triggered it under
 * the previous forecast (the trajectory anomaly score; absent for an agent's first forecast).
 *
 * @param update              {@link #MODEL} (the model ran) or {@link #REWEIGHTED} (a rapid update re-weighted the
 *                            stored samples of {@code model}'s last run without calling it)
 * @param sampleWeights       the samples' normalised importance weights after a rapid update; null for unweighted
 *                            draws
 * @param effectiveSampleSize Kish's effective sample size of the weights; null where forecasts are not re-weighted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ForecastRecord(String entityId, long eventTime, SourceRef source, ModelRef model, double stepSeconds,
        int horizonSteps, float[][][] samples, float[][] mostLikely, List<Horizon> horizons,
        Double observedLogDensity, String update, Long forecastAt, double[] sampleWeights,
        Double effectiveSampleSize) {

    public static final String MODEL = "MODEL";
    public static final String REWEIGHTED = "REWEIGHTED";

    /** A forecast of unweighted draws. */
    public ForecastRecord(String entityId, long eventTime, SourceRef source, ModelRef model, double stepSeconds,
            int horizonSteps, float[][][] samples, float[][] mostLikely, List<Horizon> horizons,
            Double observedLogDensity, String update, Long forecastAt) {
        this(entityId, eventTime, source, model, stepSeconds, horizonSteps, samples, mostLikely, horizons,
                observedLogDensity, update, forecastAt, null, null);
    }

    /** One horizon step's position, summarised. */
    public record Horizon(int step, double[] mean, double[][] covariance) {
    }
}
