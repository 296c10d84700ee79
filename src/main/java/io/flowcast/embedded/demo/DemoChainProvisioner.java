package io.flowcast.embedded.demo;

import io.flowcast.anomaly.ModelRef;
import io.flowcast.embedded.FlowcastMain;
import io.flowcast.serving.ScoringSettings;
import io.flowcast.topology.ForecastSettings;
import io.flowcast.topology.ServedForecasts;
import io.flowcast.trajectory.ChainModelFiles;
import io.flowcast.trajectory.ChainPathForecaster;
import io.flowcast.trajectory.FlowChain;
import io.flowcast.trajectory.TrajectoryWindow;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Gives the demo a trained trajectory model: while the demo feed runs and no chain is configured
 * ({@code flowcast.forecast.chain-model}), a background thread walks the demo crowd, trains a small flow chain on it
 * ({@link DemoChain}: 24 flows at {@code flowcast.forecast.demo-chain-seconds-per-flow} each, about 30-60 s on two
 * busy cores), exports it ({@link ChainModelFiles}) and swaps it in for the constant-velocity model. Forecasts from
 * then on name {@code <trajectory stream>.chain} version 1 and are rapid-updated between runs. A failure leaves the
 * constant-velocity model serving, with the reason in the log.
 */
@ApplicationScoped
public class DemoChainProvisioner {

    private static final Logger LOG = Logger.getLogger(DemoChainProvisioner.class);
    private static final long CROWD_SEED = 1_042;
    private static final int CROWD_AGENTS = 10;
    private static final int CROWD_STEPS = 600;
    private static final int MAX_WINDOWS = 4000;

    @Inject
    DemoSettings demo;

    @Inject
    ForecastSettings forecast;

    @Inject
    ScoringSettings scoring;

    @Inject
    ServedForecasts served;

    @ConfigProperty(name = FlowcastMain.EMBEDDED_ACTIVE, defaultValue = "false")
    boolean embedded;

    void onStart(@Observes StartupEvent event) {
        if (!forecast.enabled() || !forecast.demoChain() || !demoEnabled()
                || forecast.chainModel().filter(dir -> !dir.isBlank()).isPresent() || served.current() == null
                || served.current().reweightable()) {
            return;
        }
        Thread thread = new Thread(this::provision, "flowcast-demo-chain");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private boolean demoEnabled() {
        return switch (demo.enabled().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> embedded;
        };
    }

    private void provision() {
        long start = System.nanoTime();
        try {
            LOG.infof("Demo: training a flow chain on the demo crowd in the background (%.1f s per flow, 24 flows);"
                    + " forecasts use the constant-velocity model until it is ready",
                    forecast.demoChainSecondsPerFlow());
            List<TrajectoryWindow> windows = DemoChain.windows(CROWD_SEED, CROWD_AGENTS, CROWD_STEPS);
            FlowChain chain = DemoChain.train(windows, forecast.demoChainSecondsPerFlow(), MAX_WINDOWS,
                    line -> LOG.debugf("Demo chain: %s", line));
            Path dir = Files.createTempDirectory("flowcast-demo-chain");
            ModelRef ref = new ModelRef(scoring.trajectoryStream() + ".chain", 1);
            ChainPathForecaster forecaster = ChainPathForecaster.open(
                    ChainModelFiles.write(dir, chain, ref, DemoChain.STEP_SECONDS));
            try {
                served.swap(forecaster);
            } catch (RuntimeException e) {
                forecaster.close();
                throw e;
            }
            LOG.infof("Demo: trajectory forecasts now from the flow chain %s v%d (%d training windows, %.0f s; export"
                    + " in %s)", ref.name(), ref.version(), windows.size(), (System.nanoTime() - start) / 1e9, dir);
        } catch (Exception | LinkageError e) {
            LOG.warnf(e, "Demo: no flow chain (%s); forecasts stay on the constant-velocity model", e.getMessage());
        }
    }
}
