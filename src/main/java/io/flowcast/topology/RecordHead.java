package io.flowcast.topology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * The few top-level fields of a published score or forecast that say whose it is and when: read with a streaming
 * parser that skips everything else (a forecast's sampled paths are most of its bytes).
 *
 * @param stream null when the record has none (forecasts)
 */
record RecordHead(String entityId, String stream, long eventTime) {

    private static final JsonFactory JSON = new JsonFactory();

    /** Empty when the bytes are not a JSON object with a textual entityId and an integral eventTime. */
    static Optional<RecordHead> read(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        String entityId = null;
        String stream = null;
        Long eventTime = null;
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "entityId" -> entityId = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "stream" -> stream = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "eventTime" -> eventTime = token == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : null;
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return entityId == null || eventTime == null ? Optional.empty()
                : Optional.of(new RecordHead(entityId, stream, eventTime));
    }
}
