package io.flowcast.anomaly;

import java.util.Map;

/**
 * Turns an entity's stream of anomaly descriptors into alert episodes with hysteresis. An episode opens on the first
 * record whose tail probability is at or under its threshold (one OPEN alert), stays open while records stay at or
 * under the hold threshold ({@link AlertPolicy#holdFactor}), and closes after {@link AlertPolicy#closeAfter}
 * consecutive records above it (one CLOSED alert, naming the record that closed it). Records of an entity that is
 * warming up carry no score and change nothing: no episode opens, and an open one neither holds nor counts towards
 * closing. Pure and stateless: the caller keeps each entity's {@link AlertEpisode}. The tail is the record's
 * {@link AnomalyDescriptor#alarmTailProbability}: its combined evidence where the stream keeps it.
 */
public final class AlertEpisodeTracker {

    /** The entity's episode after a record (null: none open) and the alert to publish (null: none). */
    public record Step(AlertEpisode episode, Alert alert) {
    }

    private final AlertPolicy policy;

    public AlertEpisodeTracker(AlertPolicy policy) {
        this.policy = policy;
    }

    /** @param open the entity's open episode, or null */
    public Step observe(AlertEpisode open, AnomalyDescriptor record) {
        if (record.warmingUp() || record.alarmTailProbability() == null || record.threshold() == null) {
            return new Step(open, null);
        }
        double tail = record.alarmTailProbability();
        double grade = 1 - tail;
        if (open == null) {
            if (tail > record.threshold()) {
                return new Step(null, null);
            }
            AlertEpisode started = new AlertEpisode(alertId(record), record.entityId(), record.stream(),
                    record.eventTime(), record.eventTime(), grade, record.source(), record.model(),
                    attributes(record), record.threshold(), 1, 0);
            return new Step(started, alert(started, AlertState.OPEN, null));
        }
        boolean peak = grade > open.peakGrade();
        boolean holding = tail <= Math.min(1, open.threshold() * policy.holdFactor());
        AlertEpisode next = new AlertEpisode(open.alertId(), open.entityId(), open.stream(), open.startedAt(),
                peak ? record.eventTime() : open.peakAt(), peak ? grade : open.peakGrade(),
                peak ? record.source() : open.peakSource(), peak ? record.model() : open.peakModel(),
                peak ? attributes(record) : open.peakAttributes(), open.threshold(), open.recordCount() + 1,
                holding ? 0 : open.normalRun() + 1);
        if (next.normalRun() >= policy.closeAfter()) {
            return new Step(null, alert(next, AlertState.CLOSED, record.eventTime()));
        }
        return new Step(next, null);
    }

    private Alert alert(AlertEpisode episode, AlertState state, Long endedAt) {
        return new Alert(episode.alertId(), episode.entityId(), episode.stream(), state, episode.startedAt(),
                episode.peakAt(), episode.peakGrade(), endedAt, policy.severity(episode.peakGrade()),
                episode.threshold(), episode.peakModel(), episode.recordCount(), episode.peakSource(),
                episode.peakAttributes());
    }

    /** Stable parts only (stream, entity, start time), so a replay names the episode the same. */
    static String alertId(AnomalyDescriptor record) {
        return record.stream() + "/" + record.entityId() + "/" + record.eventTime();
    }

    private static Map<String, String> attributes(AnomalyDescriptor record) {
        return record.attributes() == null || record.attributes().isEmpty() ? null : record.attributes();
    }
}
