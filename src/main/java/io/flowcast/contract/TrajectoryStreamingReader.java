package io.flowcast.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code flowcast.trajectories} record in one pass over a streaming parser, checking exactly what
 * {@code flowcast.trajectories.schema.json} says (plus strict JSON and finite numbers) without building a JSON tree
 * or running the generic validator. It only ever answers "valid, here is the record" or "not certainly valid"
 * ({@code null}); a record it refuses goes through {@link TopicContract#read}, which gives the reason and the
 * messages. {@code StreamingReadersAgreementTest} holds its verdicts equal to the reference validator's.
 */
public final class TrajectoryStreamingReader {

    private static final double MAX_METRES = 1e7;
    private static final double MAX_HEADING = 6.283185307179586;
    private static final double MAX_SPEED = 1000;
    private static final int MAX_ATTRIBUTES = 64;

    private TrajectoryStreamingReader() {
    }

    /** The record when {@code bytes} is certainly a valid trajectory record; {@code null} otherwise. */
    public static TrajectoryRecord readIfValid(byte[] bytes) {
        return StreamingRules.readIfValid(bytes, TrajectoryStreamingReader::read);
    }

    private static TrajectoryRecord read(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String entityId = null;
        long eventTime = -1;
        double[] position = null;
        String stream = null;
        Map<String, String> attributes = Map.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            boolean valid = switch (name) {
                case "entityId" -> (entityId = StreamingRules.entityId(parser, value)) != null;
                case "eventTime" -> (eventTime = StreamingRules.epochMillis(parser, value)) >= 0;
                case "position" -> (position = position(parser, value)) != null;
                case "heading" -> !Double.isNaN(StreamingRules.number(parser, value, -MAX_HEADING, MAX_HEADING));
                case "speed" -> !Double.isNaN(StreamingRules.number(parser, value, 0, MAX_SPEED));
                case "scene" -> StreamingRules.string(parser, value, 1, 128) != null;
                case "stream" -> (stream = StreamingRules.streamName(parser, value)) != null;
                case "attributes" -> (attributes = attributes(parser, value)) != null;
                default -> false; // additionalProperties: false
            };
            if (!valid) {
                return null;
            }
        }
        if (parser.nextToken() != null || entityId == null || eventTime < 0 || position == null) {
            return null; // trailing data, or a required property missing
        }
        return new TrajectoryRecord(entityId, eventTime, position[0], position[1], stream, attributes);
    }

    /** A closed object of {@code x} and {@code y} (required) and {@code z}, each within 1e7 metres: {x, y}. */
    private static double[] position(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            return null;
        }
        double x = Double.NaN;
        double y = Double.NaN;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            double value = StreamingRules.number(parser, parser.nextToken(), -MAX_METRES, MAX_METRES);
            if (Double.isNaN(value)) {
                return null;
            }
            switch (name) {
                case "x" -> x = value;
                case "y" -> y = value;
                case "z" -> {
                    // checked, not used: 2-D models ignore height
                }
                default -> {
                    return null;
                }
            }
        }
        return Double.isNaN(x) || Double.isNaN(y) ? null : new double[] {x, y};
    }

    /** At most 64 attributes: a feature name to a string (at most 1024 code points), finite number, boolean or null. */
    private static Map<String, String> attributes(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            return null;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        int count = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (++count > MAX_ATTRIBUTES || !StreamingRules.isFeatureName(name)) {
                return null;
            }
            String text = switch (value) {
                case VALUE_STRING -> StreamingRules.string(parser, value, 0, 1024);
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> StreamingRules.finiteNumberText(parser, value);
                case VALUE_TRUE -> "true";
                case VALUE_FALSE -> "false";
                case VALUE_NULL -> "";
                default -> null;
            };
            if (text == null) {
                return null;
            }
            if (value != JsonToken.VALUE_NULL) {
                attributes.put(name, text); // a null carries nothing, as on the reference path
            }
        }
        return attributes.isEmpty() ? Map.of() : attributes;
    }
}
