package io.flowcast.anomaly;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One transition of an anomaly episode, as published on {@code flowcast.alerts} (keyed by {@code alertId}): OPEN when
 * the episode starts, CLOSED when it ends, both with the same id and the peak so far.
 *
 * @param endedAt event time of the record that closed the episode; null (and written as null) while it is open
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(
        String alertId,
        String entityId,
        String stream,
        AlertState state,
        long startedAt,
        long peakAt,
        double peakGrade,
        @JsonInclude(JsonInclude.Include.ALWAYS) Long endedAt,
        AlertSeverity severity,
        double threshold,
        ModelRef model,
        Integer recordCount,
        SourceRef peakSource,
        Map<String, String> attributes) {
}
