package io.flowcast.serving;

import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.flow.ClockCoverage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * A catalog that learns each stream's first model from the stream itself: it collects the first
 * {@code fitRecords + holdoutRecords} (x, context) pairs, fits a {@link io.flowcast.flow.GaussianDensity} on the first
 * {@code fitRecords} and calibrates it on the later {@code holdoutRecords} (a split in time, so calibration sees
 * records the fit did not); see {@link WarmupFit}. Until then the stream is warming up. The model is version 1 of
 * {@code <stream>.linear-gaussian}; it lives in memory and is refitted after a restart.
 */
public final class WarmupModelCatalog implements ModelCatalog {

    private static final Logger LOG = Logger.getLogger(WarmupModelCatalog.class);

    private final Map<String, StreamProfile> profiles;
    private final int fitRecords;
    private final int holdoutRecords;
    private final double ridge;
    private final ClockCoverage clock;
    private final Map<String, StreamModel> models = new ConcurrentHashMap<>();
    private final Map<String, RecordBuffer> buffers = new ConcurrentHashMap<>();
    private final Map<String, Instant> fittedAt = new ConcurrentHashMap<>();

    public WarmupModelCatalog(Iterable<StreamProfile> profiles, int fitRecords, int holdoutRecords, double ridge) {
        this(profiles, fitRecords, holdoutRecords, ridge, ClockCoverage.DEFAULT);
    }

    /** @param clock which clock columns a fitted model's context keeps, judged on its fit records */
    public WarmupModelCatalog(Iterable<StreamProfile> profiles, int fitRecords, int holdoutRecords, double ridge,
            ClockCoverage clock) {
        if (fitRecords < 2 || holdoutRecords < 1) {
            throw new IllegalArgumentException("need at least 2 fit records and 1 held-out record");
        }
        Map<String, StreamProfile> byName = new LinkedHashMap<>();
        for (StreamProfile profile : profiles) {
            byName.put(profile.name(), profile);
        }
        this.profiles = Map.copyOf(byName);
        this.fitRecords = fitRecords;
        this.holdoutRecords = holdoutRecords;
        this.ridge = ridge;
        this.clock = clock;
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
        return Optional.ofNullable(models.get(stream));
    }

    @Override
    public List<ModelVersionInfo> versions(String stream) {
        StreamModel model = models.get(stream);
        return model == null ? List.of() : List.of(ModelVersionInfo.serving(model, fittedAt.get(stream)));
    }

    @Override
    public void learn(String stream, float[] x, float[] context) {
        StreamProfile profile = profiles.get(stream);
        if (profile == null || models.containsKey(stream)) {
            return;
        }
        RecordBuffer buffer = buffers.computeIfAbsent(stream,
                s -> new RecordBuffer(profile.dimension(), context.length, fitRecords + holdoutRecords));
        synchronized (buffer) {
            if (models.containsKey(stream) || !buffer.add(x, context)) {
                return;
            }
            if (buffer.isFull()) {
                fit(profile, buffer);
            }
        }
    }

    private void fit(StreamProfile profile, RecordBuffer buffer) {
        try {
            StreamModel model = WarmupFit.fit(profile, buffer, fitRecords, holdoutRecords, ridge, clock);
            HeldOutCalibration calibration = model.calibration();
            fittedAt.put(profile.name(), Instant.now());
            models.put(profile.name(), model);
            buffers.remove(profile.name());
            LOG.infof("Stream %s: fitted %s v%d on %d records, calibrated on %d held-out records "
                    + "(median raw score %.3f, 99th percentile %.3f); time features %s", profile.name(), model.name(),
                    model.version(), fitRecords, calibration.size(), calibration.quantile(0.5),
                    calibration.quantile(0.99), model.context().timeFeatureNames());
        } catch (RuntimeException e) {
            // Degenerate data (for instance all-identical records) can defeat the fit; start collecting afresh.
            LOG.warnf("Stream %s: could not fit a model (%s); collecting new records", profile.name(), e.getMessage());
            buffer.clear();
        }
    }
}
