package io.flowcast.api.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** The latest of one entity the live feed has seen: position, score and forecast (each absent when none). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntityView(String stream, String entityId, LiveMessage.Position position, LiveMessage.Score score,
        JsonNode forecast) {
}
