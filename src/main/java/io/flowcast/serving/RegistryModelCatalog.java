package io.flowcast.serving;

import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.flow.ClockCoverage;
import io.flowcast.flow.ConditionalDensity;
import io.flowcast.flow.LatentDependence;
import io.flowcast.flow.onnx.FlowArtifact;
import io.flowcast.registry.ModelRegistry;
import io.flowcast.registry.ModelVersion;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Serves each stream's active flow from the {@link ModelRegistry}, with hot swap: when an activation takes effect
 * the new version is loaded and warmed up beside the old one (on a loader thread, never on a stream thread), then
 * swapped in with one atomic map write. Records that already hold the old {@link StreamModel} finish on it; the old
 * version's native sessions are closed once its leases are released and a grace period has passed. A version that
 * cannot be loaded (bad artifact, features that do not match the stream) is refused and the old one keeps serving.
 *
 * <p>A stream the registry has no model for warms up on its first records: a linear-Gaussian interim model
 * ({@code <stream>.linear-gaussian} v1, fitted on the first {@code fitRecords}, calibrated on the next
 * {@code holdoutRecords}) scores at once, and the {@link FirstModelTrainer} trains a small flow from the same
 * records in the background and publishes it, after which it arrives here like any other version.
 */
public final class RegistryModelCatalog implements ModelCatalog, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RegistryModelCatalog.class);

    private final Map<String, StreamProfile> profiles;
    private final ModelRegistry registry;
    private final SessionSettings sessionSettings;
    private final ExecutionProviderSelector selector;
    private final int fitRecords;
    private final int holdoutRecords;
    private final double ridge;
    private final FirstModelTrainer firstModelTrainer;
    private final ClockCoverage clock;
    private final Duration retireGrace;
    private final Map<String, ServedModel> served = new ConcurrentHashMap<>();
    private final Map<String, StreamModel> interim = new ConcurrentHashMap<>();
    /** When each stream's interim model was fitted and each served version published, for operators (age). */
    private final Map<String, Instant> createdAt = new ConcurrentHashMap<>();
    private final Map<String, RecordBuffer> buffers = new ConcurrentHashMap<>();
    private final Set<String> firstModelsStarted = ConcurrentHashMap.newKeySet();
    private final ExecutorService loader = Executors.newSingleThreadExecutor(daemon("flowcast-model-loader"));
    private final ExecutorService trainer = Executors.newSingleThreadExecutor(daemon("flowcast-first-model"));
    private final ScheduledExecutorService retirer =
            Executors.newSingleThreadScheduledExecutor(daemon("flowcast-model-retirer"));
    private final AtomicLong swaps = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    /**
     * @param firstModelTrainer trains a stream's first flow; null serves the interim model until a version is
     *                          published by someone else (e.g. the retrainer)
     * @param retireGrace       how long a replaced version stays open for records that read it without a lease
     */
    public RegistryModelCatalog(Iterable<StreamProfile> profiles, ModelRegistry registry,
            SessionSettings sessionSettings, ExecutionProviderSelector selector, int fitRecords, int holdoutRecords,
            double ridge, FirstModelTrainer firstModelTrainer, Duration retireGrace) {
        this(profiles, registry, sessionSettings, selector, fitRecords, holdoutRecords, ridge, firstModelTrainer,
                retireGrace, ClockCoverage.DEFAULT);
    }

    /** @param clock which clock columns the interim model's context keeps, judged on its fit records */
    public RegistryModelCatalog(Iterable<StreamProfile> profiles, ModelRegistry registry,
            SessionSettings sessionSettings, ExecutionProviderSelector selector, int fitRecords, int holdoutRecords,
            double ridge, FirstModelTrainer firstModelTrainer, Duration retireGrace, ClockCoverage clock) {
        if (fitRecords < 2 || holdoutRecords < 1) {
            throw new IllegalArgumentException("need at least 2 fit records and 1 held-out record");
        }
        Map<String, StreamProfile> byName = new LinkedHashMap<>();
        for (StreamProfile profile : profiles) {
            byName.put(profile.name(), profile);
        }
        this.profiles = Map.copyOf(byName);
        this.registry = registry;
        this.sessionSettings = sessionSettings;
        this.selector = selector;
        this.fitRecords = fitRecords;
        this.holdoutRecords = holdoutRecords;
        this.ridge = ridge;
        this.firstModelTrainer = firstModelTrainer;
        this.retireGrace = retireGrace;
        this.clock = clock;
        registry.addListener(event -> {
            if (this.profiles.containsKey(event.version().name())) {
                loader.submit(() -> load(event.version()));
            }
        });
    }

    @Override
    public Set<String> streams() {
        return profiles.keySet();
    }

    @Override
    public Optional<StreamProfile> profile(String stream) {
        return Optional.ofNullable(profiles.get(stream));
    }

    @Override
    public Optional<StreamModel> current(String stream) {
        ServedModel model = served.get(stream);
        return model != null ? Optional.of(model.model()) : Optional.ofNullable(interim.get(stream));
    }

    @Override
    public Optional<ModelLease> lease(String stream) {
        while (true) {
            ServedModel model = served.get(stream);
            if (model == null) {
                return Optional.ofNullable(interim.get(stream)).map(ModelLease::unmanaged);
            }
            ModelLease lease = model.lease();
            if (lease != null) {
                return Optional.of(lease);
            }
            // Closed between the read and the lease: a newer version is in the map by now.
        }
    }

    /** The serving version (a registry version, else the interim model), with its creation time. */
    @Override
    public List<ModelVersionInfo> versions(String stream) {
        return current(stream).map(model -> List.of(ModelVersionInfo.serving(model, createdAt.get(stream))))
                .orElse(List.of());
    }

    /** Versions swapped in since start. */
    public long swaps() {
        return swaps.get();
    }

    /** Activated versions this catalog refused to serve. */
    public long refusals() {
        return refusals.get();
    }

    @Override
    public void learn(String stream, float[] x, float[] context) {
        StreamProfile profile = profiles.get(stream);
        if (profile == null || current(stream).isPresent()) {
            return;
        }
        RecordBuffer buffer = buffers.computeIfAbsent(stream,
                s -> new RecordBuffer(profile.dimension(), context.length, fitRecords + holdoutRecords));
        synchronized (buffer) {
            if (current(stream).isPresent() || !buffer.add(x, context) || !buffer.isFull()) {
                return;
            }
            if (fitInterim(profile, buffer)) {
                startFirstModel(profile, buffer);
                buffers.remove(stream);
            } else {
                buffer.clear();
            }
        }
    }

    private boolean fitInterim(StreamProfile profile, RecordBuffer buffer) {
        try {
            StreamModel model = WarmupFit.fit(profile, buffer, fitRecords, holdoutRecords, ridge, clock);
            HeldOutCalibration calibration = model.calibration();
            createdAt.putIfAbsent(profile.name(), Instant.now());
            interim.put(profile.name(), model);
            LOG.infof("Stream %s: interim %s v%d fitted on %d records, calibrated on %d; time features %s",
                    profile.name(), model.name(), model.version(), fitRecords, calibration.size(),
                    model.context().timeFeatureNames());
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("Stream %s: could not fit an interim model (%s); collecting new records", profile.name(),
                    e.getMessage());
            return false;
        }
    }

    static HeldOutCalibration calibrate(ConditionalDensity density, float[] x, float[] c, int rows) {
        float[] logProbs = density.logProb(x, c, rows);
        double[] raw = new double[rows];
        for (int i = 0; i < rows; i++) {
            raw[i] = -logProbs[i];
        }
        return HeldOutCalibration.of(raw);
    }

    private void startFirstModel(StreamProfile profile, RecordBuffer buffer) {
        if (firstModelTrainer == null || registry.serving(profile.name()).isPresent()
                || !firstModelsStarted.add(profile.name())) {
            return;
        }
        int rows = buffer.size();
        float[] x = buffer.x(0, rows);
        float[] c = buffer.context(0, rows);
        trainer.submit(() -> {
            try {
                if (registry.serving(profile.name()).isEmpty()) {
                    firstModelTrainer.train(profile, x, c, rows);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "Stream %s: training the first flow failed; the interim model keeps serving",
                        profile.name());
            }
        });
    }

    /** Loads, warms up and swaps in a version; on any failure the current version keeps serving. */
    private void load(ModelVersion version) {
        String stream = version.name();
        StreamProfile profile = profiles.get(stream);
        long started = System.nanoTime();
        OnnxFlowSession session = null;
        try {
            if (!version.features().equals(profile.features())) {
                throw new IllegalArgumentException("it reads features " + version.features() + ", the stream has "
                        + profile.features());
            }
            byte[] bytes = registry.artifact(stream, version.version())
                    .orElseThrow(() -> new IOException("its verified artifact is not available"));
            FlowArtifact artifact = FlowArtifact.fromBytes(bytes);
            session = OnnxFlowSession.open(artifact, sessionSettings, selector);
            LatentDependence dependence = LatentDependence.of(version.dependenceKind(), version.dependence());
            ConditionalDensity density = dependence == LatentDependence.independent() ? session
                    : new DependentOnnxFlow(session, dependence);
            StreamModel model = new StreamModel(stream + ".flow", version.version(), version.features(),
                    version.contextSpec(), density,
                    HeldOutCalibration.of(version.calibration()));
            createdAt.put(stream, Instant.ofEpochMilli(version.createdAt()));
            ServedModel previous = served.put(stream, new ServedModel(model, session));
            swaps.incrementAndGet();
            if (previous != null) {
                previous.retire(retirer, retireGrace);
            }
            LOG.infof("Stream %s: now serving %s v%d (%s, dependence %s%s) on %s, loaded and warmed in %d ms",
                    stream, model.name(), model.version(), version.objective(), dependence.kind(),
                    dependence.parameters(), session.providerInUse(), (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            refusals.incrementAndGet();
            if (session != null) {
                session.close();
            }
            LOG.errorf("Stream %s: refusing %s v%d (%s); %s keeps serving", stream, version.name(),
                    version.version(), e.getMessage(), current(stream).map(m -> m.name() + " v" + m.version())
                            .orElse("the warm-up"));
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        trainer.shutdownNow();
        loader.shutdown();
        try {
            loader.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        retirer.shutdownNow();
        served.values().forEach(ServedModel::closeNow);
        served.clear();
    }
}
