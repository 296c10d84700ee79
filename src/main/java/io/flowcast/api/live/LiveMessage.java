package io.flowcast.api.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One server-sent event of the dashboard: a snapshot of the recent state when a page connects, then a batch per
 * poll of the topics. The page merges both the same way (positions and scores by time, forecasts and alerts by key).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LiveMessage(String kind, List<Position> positions, List<Score> scores, List<JsonNode> forecasts,
        List<JsonNode> alerts) {

    public static final String SNAPSHOT = "snapshot";
    public static final String BATCH = "batch";

    /** An agent's observed position (flowcast.trajectories). */
    public record Position(String entityId, String stream, String scene, long t, double x, double y) {
    }

    /**
     * A published score (flowcast.scores), reduced to what the timeline draws.
     *
     * @param tail the calibrated tail probability; null while warming up
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Score(String entityId, String stream, long t, Double tail, Double threshold, boolean anomalous,
            boolean warmingUp, String model) {
    }

    public boolean isEmpty() {
        return positions.isEmpty() && scores.isEmpty() && forecasts.isEmpty() && alerts.isEmpty();
    }
}
