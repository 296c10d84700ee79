package io.flowcast.anomaly;

import java.util.Map;

/**
 * An entity's open anomaly episode, as kept between its records (there is none while the entity is normal).
 *
 * @param threshold   the tail-probability threshold (alpha) that opened it
 * @param peakModel   the model version that scored the peak record
 * @param recordCount the entity's scored records since the episode opened, the opening one included
 * @param normalRun   consecutive records since the last one above the hold threshold
 */
public record AlertEpisode(String alertId, String entityId, String stream, long startedAt, long peakAt,
        double peakGrade, SourceRef peakSource, ModelRef peakModel, Map<String, String> peakAttributes,
        double threshold, int recordCount, int normalRun) {
}
