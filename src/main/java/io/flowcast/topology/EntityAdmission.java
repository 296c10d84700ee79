package io.flowcast.topology;

import io.flowcast.contract.DlqReason;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.StreamModel;
import io.flowcast.serving.StreamProfile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a valid observation joins its entity's history, before any model sees it, and what the history
 * becomes. The rules, each with its dead-letter reason:
 * <ul>
 *   <li>a stream this service does not score: UNKNOWN_STREAM; a feature the stream needs is absent: MISSING_FEATURE;</li>
 *   <li>a feature whose magnitude exceeds {@code maxAbsValue} (unit mistakes, sentinels like 1e300 that would
 *       overflow a model's float arithmetic and poison the entity's context for the next records): OUT_OF_RANGE;</li>
 *   <li>the same event time as the entity's newest record (a re-sent record): DUPLICATE; an earlier one (the
 *       history has moved past it, and scoring it against later values would read the future): OUT_OF_ORDER.</li>
 * </ul>
 * An entity silent for longer than {@code maxGap} starts afresh: its old values no longer predict it, so it warms up
 * again. Pure: no Kafka, so it is tested directly.
 */
public final class EntityAdmission {

    /** An admitted record: its features in model order, the history before it (to build its context) and after. */
    public record Admitted(StreamProfile profile, float[] x, EntityHistory prior, EntityHistory next) {
    }

    private final ModelCatalog catalog;
    private final long maxGapMillis;
    private final double maxAbsValue;

    public EntityAdmission(ModelCatalog catalog, Duration maxGap, double maxAbsValue) {
        if (!(maxAbsValue > 0)) {
            throw new IllegalArgumentException("maxAbsValue must be positive: " + maxAbsValue);
        }
        this.catalog = catalog;
        this.maxGapMillis = maxGap.toMillis();
        this.maxAbsValue = maxAbsValue;
    }

    /** @param stored the entity's stored history in this stream, or null */
    public Verdict<Admitted> admit(Observation observation, EntityHistory stored) {
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
        for (String feature : profile.features()) {
            double value = observation.features().get(feature);
            if (!(Math.abs(value) <= maxAbsValue)) {
                return Verdict.reject(Rejection.of(DlqReason.OUT_OF_RANGE, "feature '" + feature + "' = " + value
                        + " is beyond the plausible magnitude " + maxAbsValue + " (flowcast.scoring.max-abs-value)"));
            }
        }
        boolean sameShape = stored != null && stored.dimension() == profile.dimension();
        if (sameShape && stored.lastEventTime() != Long.MIN_VALUE) {
            long last = stored.lastEventTime();
            if (observation.eventTime() == last) {
                return Verdict.reject(Rejection.of(DlqReason.DUPLICATE, "entity '" + observation.entityId()
                        + "' already has a record at event time " + last + " in stream '" + profile.name() + "'"));
            }
            if (observation.eventTime() < last) {
                return Verdict.reject(Rejection.of(DlqReason.OUT_OF_ORDER, "event time " + observation.eventTime()
                        + " is before entity '" + observation.entityId() + "''s newest record at " + last
                        + " in stream '" + profile.name() + "'"));
            }
        }
        float[] x = profile.vector(observation.features());
        EntityHistory prior = usableHistory(sameShape ? stored : null, profile.dimension(), observation.eventTime());
        int window = catalog.current(profile.name()).map(StreamModel::context)
                .map(spec -> spec.window()).orElse(0);
        int capacity = Math.max(profile.context().window(), window);
        return Verdict.accept(new Admitted(profile, x, prior, prior.append(x, observation.eventTime(), capacity)));
    }

    private EntityHistory usableHistory(EntityHistory stored, int dimension, long eventTime) {
        if (stored == null) {
            return EntityHistory.empty(dimension);
        }
        // After a long silence the old values no longer predict the entity: start it afresh (warming up again).
        if (stored.rows() > 0 && eventTime - stored.lastEventTime() > maxGapMillis) {
            return new EntityHistory(dimension, 0, new float[0], stored.lastEventTime());
        }
        return stored;
    }
}
