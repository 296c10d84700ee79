package io.flowcast.retrain;

import io.flowcast.ops.LiveNll;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.ModelVersionInfo;
import io.flowcast.serving.StreamModel;
import io.flowcast.serving.StreamProfile;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The drift trigger of the retrainer, beside its schedule and the HTTP one: every {@code check-every} it compares
 * each stream's live NLL (from the scores the service publishes, {@link LiveNll}) with the held-out NLL of the
 * version that produced them, and starts a retrain of the stream when the {@link DriftTrigger} says so.
 */
@ApplicationScoped
public class DriftMonitor {

    private static final Logger LOG = Logger.getLogger(DriftMonitor.class);

    private final ModelCatalog catalog;
    private final LiveNll liveNll;
    private final RetrainStarter retrainer;
    private final DriftTrigger trigger;
    private final boolean registryEnabled;
    private final Clock clock;

    @Inject
    public DriftMonitor(ModelCatalog catalog, LiveNll liveNll, RetrainService retrainer,
            @ConfigProperty(name = "flowcast.retrain.drift.margin", defaultValue = "1.0") double margin,
            @ConfigProperty(name = "flowcast.retrain.drift.cooldown", defaultValue = "PT15M") Duration cooldown,
            @ConfigProperty(name = "flowcast.retrain.drift.min-scores", defaultValue = "500") int minScores,
            @ConfigProperty(name = "flowcast.registry.enabled", defaultValue = "true") boolean registryEnabled) {
        this(catalog, liveNll, retrainer::startRetrain,
                new DriftTrigger(new DriftTrigger.Settings(margin, cooldown, minScores)), registryEnabled,
                Clock.systemUTC());
    }

    /** Starts a retrain of one stream in the background; false when one is running already. */
    @FunctionalInterface
    interface RetrainStarter {
        boolean start(StreamProfile profile, String reason);
    }

    DriftMonitor(ModelCatalog catalog, LiveNll liveNll, RetrainStarter retrainer, DriftTrigger trigger,
            boolean registryEnabled, Clock clock) {
        this.catalog = catalog;
        this.liveNll = liveNll;
        this.retrainer = retrainer;
        this.trigger = trigger;
        this.registryEnabled = registryEnabled;
        this.clock = clock;
    }

    @Scheduled(every = "${flowcast.retrain.drift.check-every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (registryEnabled && trigger.settings().enabled()) {
            checkAll();
        }
    }

    /** Checks every stream once; returns how many retrains it started. */
    int checkAll() {
        int started = 0;
        for (String stream : catalog.streams()) {
            Optional<StreamModel> model = catalog.current(stream);
            Optional<StreamProfile> profile = catalog.profile(stream);
            if (model.isEmpty() || profile.isEmpty()) {
                continue;
            }
            DriftTrigger.Check check = check(stream, model.get());
            if (!check.fire()) {
                LOG.debugf("Stream %s: %s", stream, check.reason());
                continue;
            }
            if (retrainer.start(profile.get(), check.reason())) {
                trigger.fired(stream, clock.instant());
                LOG.infof("Stream %s: retrain started on %s", stream, check.reason());
                started++;
            } else {
                LOG.infof("Stream %s: %s; a retrain is running already", stream, check.reason());
            }
        }
        return started;
    }

    DriftTrigger.Check check(String stream, StreamModel model) {
        double validation = catalog.versions(stream).stream()
                .filter(v -> v.serving() && v.model().equals(model.name()) && v.version() == model.version())
                .map(v -> v.metrics().get(ModelVersionInfo.VALIDATION_NLL_MEDIAN)).filter(v -> v != null)
                .findFirst().orElse(Double.NaN);
        return trigger.check(stream, model.ref(), liveNll.median(model.ref()), liveNll.count(model.ref()),
                validation, clock.instant());
    }
}
