package io.flowcast.topology;

import io.flowcast.anomaly.ModelRef;
import io.flowcast.trajectory.ConstantVelocityForecaster;
import io.flowcast.trajectory.ConstantVelocityGaussian;
import io.flowcast.trajectory.PathForecaster;

/**
 * How trajectory updates are forecast: the model and the number of sampled paths per forecast.
 *
 * @param samples sampled paths per forecast
 */
public record Forecasting(PathForecaster forecaster, int samples) {

    public Forecasting {
        if (samples < 1 || samples > 1000) {
            throw new IllegalArgumentException("samples must be in 1..1000 (the contract's limit): " + samples);
        }
    }

    /**
     * From configuration: the constant-velocity Gaussian prior, until a trained flow chain is served behind the same
     * {@link PathForecaster} interface.
     */
    static Forecasting from(ForecastSettings settings, String trajectoryStream) {
        return new Forecasting(new ConstantVelocityForecaster(
                ConstantVelocityGaussian.growing(settings.horizonSteps(), settings.sigmaPerStep()),
                new ModelRef(trajectoryStream + ".constant-velocity", 1), settings.observedSteps(),
                settings.stepSeconds()), settings.samples());
    }
}
