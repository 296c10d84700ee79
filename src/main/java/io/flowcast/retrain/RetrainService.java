package io.flowcast.retrain;

import io.flowcast.contract.ExportedMetric;
import io.flowcast.registry.ModelRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The retrainer inside the service: on the {@code flowcast.retrain.cron} schedule ({@code off} disables it) and on
 * demand ({@link #retrainNow}), one pass at a time. Counts runs by outcome ({@code flowcast_retrain_runs_total}) and
 * times them ({@code flowcast_retrain_duration_seconds}).
 */
@ApplicationScoped
public class RetrainService {

    private static final Logger LOG = Logger.getLogger(RetrainService.class);

    @Inject
    ModelRegistry registry;

    @Inject
    MeterRegistry meters;

    private final AtomicBoolean running = new AtomicBoolean();
    private volatile List<RetrainOutcome> last = List.of();

    @Scheduled(cron = "{flowcast.retrain.cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        retrainNow("schedule");
    }

    /**
     * Starts a retrain of one stream on a background thread (on demand: HTTP, drift).
     *
     * @return false when a pass is running already
     */
    public boolean startRetrain(io.flowcast.serving.StreamProfile profile, String trigger) {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        Thread worker = new Thread(() -> {
            try {
                RetrainConfig config = RetrainConfig.from(ConfigProvider.getConfig());
                RetrainConfig one = new RetrainConfig(config.window(), config.maxRecords(), config.settings(),
                        List.of(profile), config.trajectoryStream(), config.cacheDir());
                LOG.infof("Retrain of %s (%s)", profile.name(), trigger);
                last = new RetrainRun(registry, new TopicWindowReader(bootstrapServers(), config.trajectoryStream()),
                        one).run(System.currentTimeMillis(), this::record);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Retrain of %s (%s) failed", profile.name(), trigger);
            } finally {
                running.set(false);
            }
        }, "flowcast-retrain-" + profile.name());
        worker.setDaemon(true);
        worker.start();
        return true;
    }

    private static String bootstrapServers() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.kafka-streams.bootstrap-servers", String.class)
                .orElse("localhost:9092");
    }

    /** Runs a pass unless one is running; returns its outcomes (empty when skipped). */
    public List<RetrainOutcome> retrainNow(String trigger) {
        if (!running.compareAndSet(false, true)) {
            LOG.infof("Retrain (%s) skipped: a pass is running", trigger);
            return List.of();
        }
        try {
            RetrainConfig config = RetrainConfig.from(ConfigProvider.getConfig());
            String servers = ConfigProvider.getConfig()
                    .getOptionalValue("quarkus.kafka-streams.bootstrap-servers", String.class)
                    .orElse("localhost:9092");
            LOG.infof("Retrain (%s): window %s, objective %s", trigger, config.window(),
                    config.settings().objective());
            last = new RetrainRun(registry, new TopicWindowReader(servers, config.trajectoryStream()), config)
                    .run(System.currentTimeMillis(), this::record);
            return last;
        } catch (RuntimeException e) {
            LOG.errorf(e, "Retrain (%s) failed", trigger);
            Counter.builder(ExportedMetric.RETRAIN_RUNS.micrometerName()).tag("outcome", "failed").tag("stream", "*")
                    .register(meters).increment();
            return List.of();
        } finally {
            running.set(false);
        }
    }

    /** The outcomes of the last pass. */
    public List<RetrainOutcome> lastOutcomes() {
        return last;
    }

    private void record(RetrainOutcome outcome) {
        Counter.builder(ExportedMetric.RETRAIN_RUNS.micrometerName()).description("Retrainings by outcome")
                .tag("outcome", outcome.result().label()).tag("stream", outcome.stream()).register(meters)
                .increment();
        Timer.builder(ExportedMetric.RETRAIN_DURATION.micrometerName()).description("Wall time of a retraining")
                .tag("stream", outcome.stream()).register(meters)
                .record(Duration.ofNanos((long) (outcome.seconds() * 1e9)));
    }
}
