package io.flowcast.topology;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.RecordScore;
import io.flowcast.anomaly.RecordScorer;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.DlqReason;
import io.flowcast.flow.ContextSpec;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.StreamModel;
import io.flowcast.serving.StreamProfile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Scores one observation against its entity's history: builds the context the stream's model expects, asks the
 * catalog for the current model, and returns the anomaly descriptor with the entity's next history. An entity
 * without enough history, or a stream without a model yet, yields a warming-up descriptor (and, for the latter,
 * feeds the catalog's first fit). Pure: no Kafka, so it is tested directly.
 */
public final class ObservationScorer {

    /** The descriptor to publish and the history to store. */
    public record Scored(AnomalyDescriptor descriptor, EntityHistory history) {
    }

    private final ModelCatalog catalog;
    private final RecordScorer scorer;
    private final long maxGapMillis;

    public ObservationScorer(ModelCatalog catalog, RecordScorer scorer, Duration maxGap) {
        this.catalog = catalog;
        this.scorer = scorer;
        this.maxGapMillis = maxGap.toMillis();
    }

    /**
     * @param stored the entity's stored history in this stream, or null
     * @param now    wall-clock time, written as {@code scoredAt}
     */
    public Verdict<Scored> score(Observation observation, EntityHistory stored, SourceRef source, long now) {
        Optional<StreamProfile> found = catalog.profile(observation.stream());
        if (found.isEmpty()) {
            return Verdict.reject(Rejection.of(DlqReason.UNKNOWN_STREAM,
                    "stream '" + observation.stream() + "' is not scored here"));
        }
        StreamProfile profile = found.get();
        List<String> missing = profile.missing(observation.features());
        if (!missing.isEmpty()) {
            return Verdict.reject(Rejection.of(DlqReason.MISSING_FEATURE, "stream '" + profile.name()
                    + "' needs features " + profile.features() + "; the record lacks " + missing));
        }
        Optional<StreamModel> model = catalog.current(profile.name());
        if (model.isPresent() && !model.get().features().equals(profile.features())) {
            return Verdict.reject(Rejection.of(DlqReason.PROCESSING_ERROR, "model " + model.get().name() + " v"
                    + model.get().version() + " reads features " + model.get().features() + " but stream '"
                    + profile.name() + "' has " + profile.features()));
        }
        float[] x = profile.vector(observation.features());
        ContextSpec spec = model.map(StreamModel::context).orElse(profile.context());
        EntityHistory history = usableHistory(stored, profile.dimension(), observation.eventTime());
        float[] context = history.rows() >= spec.window()
                ? spec.build(history.values(), history.rows(), profile.dimension(), history.lastEventTime(),
                        observation.eventTime())
                : null;

        AnomalyDescriptor descriptor;
        if (context == null) {
            descriptor = warmingUp(observation, source, model, now);
        } else if (model.isEmpty()) {
            catalog.learn(profile.name(), x, context);
            descriptor = warmingUp(observation, source, model, now);
        } else {
            StreamModel current = model.get();
            RecordScore score = scorer.score(current.density(), current.calibration(), profile.threshold(),
                    current.features(), x, context, seed(source));
            if (!Double.isFinite(score.logDensity())) {
                return Verdict.reject(Rejection.of(DlqReason.PROCESSING_ERROR, "model " + current.name() + " v"
                        + current.version() + " gave a non-finite log-density (" + score.logDensity() + ")"));
            }
            descriptor = AnomalyDescriptor.scored(observation.entityId(), observation.eventTime(),
                    observation.stream(), source, current.ref(), score, observation.attributes(), now);
        }
        int capacity = Math.max(profile.context().window(), spec.window());
        return Verdict.accept(new Scored(descriptor, history.append(x, observation.eventTime(), capacity)));
    }

    private EntityHistory usableHistory(EntityHistory stored, int dimension, long eventTime) {
        if (stored == null || stored.dimension() != dimension) {
            return EntityHistory.empty(dimension);
        }
        // After a long silence the old values no longer predict the entity: start it afresh (warming up again).
        if (stored.rows() > 0 && eventTime - stored.lastEventTime() > maxGapMillis) {
            return EntityHistory.empty(dimension);
        }
        return stored;
    }

    private static AnomalyDescriptor warmingUp(Observation observation, SourceRef source,
            Optional<StreamModel> model, long now) {
        return AnomalyDescriptor.warmingUp(observation.entityId(), observation.eventTime(), observation.stream(),
                source, model.map(StreamModel::ref).orElse(null), observation.attributes(), now);
    }

    /** A seed that depends only on the record's identity, so a replay after a failure scores identically. */
    static long seed(SourceRef source) {
        long h = source.topic().hashCode();
        h = h * 1_000_003L + source.partition();
        return h * 0x9E3779B97F4A7C15L + source.offset();
    }
}
