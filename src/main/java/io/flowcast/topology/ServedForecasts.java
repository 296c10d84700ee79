package io.flowcast.topology;

import io.flowcast.serving.ScoringSettings;
import io.flowcast.trajectory.PathForecaster;
import io.flowcast.trajectory.SwappableForecaster;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The service's trajectory forecasting, built once from configuration ({@link Forecasting#from}) and served behind
 * a {@link SwappableForecaster}, so that a model trained while the service runs (the demo's chain) replaces it
 * without a restart; each forecast names the model that made it.
 */
@Singleton
public class ServedForecasts {

    /** In-flight forecasts on a replaced model get this long before it is closed. */
    private static final long CLOSE_GRACE_MILLIS = 10_000;

    private final Forecasting forecasting;
    private final SwappableForecaster forecaster;

    @Inject
    public ServedForecasts(ForecastSettings settings, ScoringSettings scoring) {
        if (settings.enabled()) {
            Forecasting configured = Forecasting.from(settings, scoring.trajectoryStream());
            forecaster = new SwappableForecaster(configured.forecaster(), CLOSE_GRACE_MILLIS);
            forecasting = new Forecasting(forecaster, configured.samples(), configured.rapidUpdate(),
                    configured.exactScores());
        } else {
            forecaster = null;
            forecasting = null;
        }
    }

    /** What the topology forecasts with; null when forecasts are off. */
    public Forecasting forecasting() {
        return forecasting;
    }

    /** The model serving now; null when forecasts are off. */
    public PathForecaster current() {
        return forecaster == null ? null : forecaster.current();
    }

    /** Serves {@code next} from now on (same history length, horizons and step as the current one). */
    public void swap(PathForecaster next) {
        if (forecaster == null) {
            throw new IllegalStateException("forecasts are off");
        }
        forecaster.swap(next);
    }

    @PreDestroy
    void close() {
        if (forecaster != null && forecaster.current() instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Native memory is released with the process anyway.
            }
        }
    }
}
