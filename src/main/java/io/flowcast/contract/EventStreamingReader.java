package io.flowcast.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code flowcast.events} record in one pass over a streaming parser, checking exactly what
 * {@code flowcast.events.schema.json} says (plus strict JSON and finite numbers) without building a JSON tree or
 * running the generic validator. It only ever answers "valid, here is the record" or "not certainly valid"
 * ({@code null}); a record it refuses goes through {@link TopicContract#read}, which gives the reason and the
 * messages. {@code StreamingReadersAgreementTest} holds its verdicts equal to the reference validator's.
 */
public final class EventStreamingReader {

    private static final int MAX_FEATURES = 256;
    private static final int MAX_ATTRIBUTES = 64;
    private static final double MAX_FEATURE_MAGNITUDE = 1e15;

    private EventStreamingReader() {
    }

    /** The record when {@code bytes} is certainly a valid {@code flowcast.events} record; {@code null} otherwise. */
    public static EventRecord readIfValid(byte[] bytes) {
        return StreamingRules.readIfValid(bytes, EventStreamingReader::read);
    }

    private static EventRecord read(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String entityId = null;
        long eventTime = -1;
        String stream = null;
        Map<String, Double> features = null;
        Map<String, String> attributes = Map.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            boolean valid = switch (name) {
                case "entityId" -> (entityId = StreamingRules.entityId(parser, value)) != null;
                case "eventTime" -> (eventTime = StreamingRules.epochMillis(parser, value)) >= 0;
                case "stream" -> (stream = StreamingRules.streamName(parser, value)) != null;
                case "features" -> (features = features(parser, value)) != null;
                case "attributes" -> (attributes = attributes(parser, value)) != null;
                default -> false; // additionalProperties: false
            };
            if (!valid) {
                return null;
            }
        }
        if (parser.nextToken() != null || entityId == null || eventTime < 0 || stream == null || features == null) {
            return null; // trailing data, or a required property missing
        }
        return new EventRecord(entityId, eventTime, stream, features, attributes);
    }

    /** 1 to 256 features, each a feature name to a finite number of magnitude at most 1e15. */
    private static Map<String, Double> features(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            return null;
        }
        Map<String, Double> features = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            double value = StreamingRules.number(parser, parser.nextToken(), -MAX_FEATURE_MAGNITUDE,
                    MAX_FEATURE_MAGNITUDE);
            if (Double.isNaN(value) || !StreamingRules.isFeatureName(name) || features.size() == MAX_FEATURES) {
                return null;
            }
            features.put(name, value);
        }
        return features.isEmpty() ? null : features;
    }

    /** At most 64 attributes, each a feature name to a string of at most 1024 code points. */
    private static Map<String, String> attributes(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            return null;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            String value = StreamingRules.string(parser, parser.nextToken(), 0, 1024);
            if (value == null || !StreamingRules.isFeatureName(name) || attributes.size() == MAX_ATTRIBUTES) {
                return null;
            }
            attributes.put(name, value);
        }
        return attributes.isEmpty() ? Map.of() : attributes;
    }
}
