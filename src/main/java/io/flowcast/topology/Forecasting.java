package io.flowcast.topology;

import io.flowcast.anomaly.ModelRef;
import io.flowcast.trajectory.ChainModelFiles;
import io.flowcast.trajectory.ChainPathForecaster;
import io.flowcast.trajectory.ConstantVelocityForecaster;
import io.flowcast.trajectory.ConstantVelocityGaussian;
import io.flowcast.trajectory.PathForecaster;
import io.flowcast.trajectory.RapidUpdateConfig;
import java.nio.file.Path;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * How trajectory updates are forecast: the model, the number of sampled paths per forecast, and when a
 * re-weightable model's forecast is updated from its stored samples instead of running it again.
 *
 * @param samples     sampled paths per forecast
 * @param rapidUpdate the rapid update's re-run thresholds and kernel (applies to models that are
 *                    {@link PathForecaster#reweightable()})
 * @param exactScores whether a position that brings a model run is scored exactly by the model (one more model
 *                    call per round, {@link PathForecaster#nextLogDensities}); else by the stored samples' kernel,
 *                    like a re-weighted position
 */
public record Forecasting(PathForecaster forecaster, int samples, RapidUpdateConfig rapidUpdate,
        boolean exactScores) {

    private static final Logger LOG = Logger.getLogger(Forecasting.class);

    public Forecasting {
        Objects.requireNonNull(forecaster, "forecaster");
        Objects.requireNonNull(rapidUpdate, "rapidUpdate");
        if (samples < 1 || samples > 1000) {
            throw new IllegalArgumentException("samples must be in 1..1000 (the contract's limit): " + samples);
        }
    }

    /** With the default rapid update. */
    public Forecasting(PathForecaster forecaster, int samples) {
        this(forecaster, samples, RapidUpdateConfig.defaults());
    }

    /** With exact scores of the positions that bring a model run. */
    public Forecasting(PathForecaster forecaster, int samples, RapidUpdateConfig rapidUpdate) {
        this(forecaster, samples, rapidUpdate, true);
    }

    /**
     * From configuration: the exported flow chain at {@code flowcast.forecast.chain-model}, served through ONNX
     * Runtime; the constant-velocity Gaussian when none is configured or it cannot be read (logged with the reason).
     */
    static Forecasting from(ForecastSettings settings, String trajectoryStream) {
        RapidUpdateConfig rapid = new RapidUpdateConfig(settings.rerunEssFraction(), settings.rerunMaxSteps(),
                settings.kernelMinBandwidth());
        PathForecaster forecaster = settings.chainModel().filter(dir -> !dir.isBlank())
                .map(dir -> openChain(Path.of(dir)))
                .orElseGet(() -> constantVelocity(settings, trajectoryStream));
        return new Forecasting(forecaster, settings.samples(), rapid, settings.exactModelScores());
    }

    /** The constant-velocity Gaussian prior the settings describe. */
    static PathForecaster constantVelocity(ForecastSettings settings, String trajectoryStream) {
        return new ConstantVelocityForecaster(
                ConstantVelocityGaussian.growing(settings.horizonSteps(), settings.sigmaPerStep()),
                new ModelRef(trajectoryStream + ".constant-velocity", 1), settings.observedSteps(),
                settings.stepSeconds());
    }

    private static PathForecaster openChain(Path dir) {
        try {
            ChainModelFiles.Chain chain = ChainModelFiles.read(dir);
            ChainPathForecaster forecaster = ChainPathForecaster.open(chain);
            LOG.infof("Trajectory forecasts from the flow chain %s v%d in %s (%d observed steps, %d horizons of %.3f s)",
                    chain.model().name(), chain.model().version(), dir, chain.layout().observedSteps(),
                    chain.layout().futureSteps(), chain.stepSeconds());
            return forecaster;
        } catch (Exception e) {
            LOG.warnf("Trajectory forecasts fall back to the constant-velocity model: the chain model in %s cannot be"
                    + " served (%s)", dir, e.getMessage());
            return null;
        }
    }
}
