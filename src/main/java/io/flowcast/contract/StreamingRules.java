package io.flowcast.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * The keyword checks of {@code flowcast.common.schema.json} applied to the current token of a streaming parser, for
 * the fast readers of the input topics. Each check answers "certainly valid" or "not certainly valid"; a reader
 * that gets the latter gives up and lets the networknt reference validator explain the record, so these checks
 * may be stricter than the schema but never looser. The patterns are the schema's own, run the way networknt runs
 * them ({@link java.util.regex.Matcher#find()}), behind a hand-written check for the common case.
 */
final class StreamingRules {

    /** {@code epochMillis}'s maximum: 9999-12-31T23:59:59.999Z. */
    static final long MAX_EPOCH_MILLIS = 253_402_300_799_999L;

    private static final Pattern ENTITY_ID = Pattern.compile("^[^\\u0000-\\u001F\\u007F]+$");
    private static final Pattern STREAM_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
    private static final Pattern FEATURE_NAME = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,127}$");

    private StreamingRules() {
    }

    /** {@code entityId}: a string of 1 to 256 code points without control characters; {@code null} otherwise. */
    /** Reads one record from a parser; {@code null} when the record is not certainly valid. */
    @FunctionalInterface
    interface RecordReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /** Runs {@code reader} over {@code bytes}; {@code null} for empty, malformed or unreadable input. */
    static <T> T readIfValid(byte[] bytes, RecordReader<T> reader) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try (JsonParser parser = StrictJson.parser(bytes)) {
            return reader.read(parser);
        } catch (IOException | RuntimeException e) {
            return null; // malformed or unreadable: the reference path says why
        }
    }

    static String entityId(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            return null;
        }
        String text = parser.getText();
        int length = text.codePointCount(0, text.length());
        if (length < 1 || length > 256) {
            return null;
        }
        return hasNoControlCharacter(text) || ENTITY_ID.matcher(text).find() ? text : null;
    }

    /** {@code streamName}; {@code null} when the token is not one. */
    static String streamName(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            return null;
        }
        String text = parser.getText();
        return isPlainStreamName(text) || STREAM_NAME.matcher(text).find() ? text : null;
    }

    /** {@code featureName}, as an object's property name. */
    static boolean isFeatureName(String name) {
        return isPlainFeatureName(name) || FEATURE_NAME.matcher(name).find();
    }

    /** A string of {@code min} to {@code max} code points (JSON Schema's minLength/maxLength); {@code null} otherwise. */
    static String string(JsonParser parser, JsonToken token, int min, int max) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            return null;
        }
        String text = parser.getText();
        int length = text.codePointCount(0, text.length());
        return length >= min && length <= max ? text : null;
    }

    /**
     * {@code epochMillis}: an integer (2020-12 counts {@code 5.0} as one) in [0, {@link #MAX_EPOCH_MILLIS}];
     * -1 otherwise.
     */
    static long epochMillis(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return -1;
            }
            long value = parser.getLongValue();
            return value >= 0 && value <= MAX_EPOCH_MILLIS ? value : -1;
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            double value = parser.getDoubleValue();
            boolean integral = Double.isFinite(value) && value == Math.rint(value);
            return integral && value >= 0 && value <= MAX_EPOCH_MILLIS ? (long) value : -1;
        }
        return -1;
    }

    /**
     * A finite number in [{@code min}, {@code max}], as the double a model reads; NaN otherwise. Every bound in the
     * input schemas is far below 2^63, so an integer too big for a long is out of range anyway.
     */
    static double number(JsonParser parser, JsonToken token, double min, double max) throws IOException {
        double value;
        if (token == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return Double.NaN;
            }
            value = parser.getLongValue();
        } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            value = parser.getDoubleValue();
        } else {
            return Double.NaN;
        }
        return Double.isFinite(value) && value >= min && value <= max ? value : Double.NaN;
    }

    /**
     * Any finite number, as the text {@code JsonNode.asText()} gives for the node Jackson would build from it;
     * {@code null} for a non-finite one (a literal such as {@code 1e400}).
     */
    static String finiteNumberText(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            double value = parser.getDoubleValue();
            return Double.isFinite(value) ? Double.toString(value) : null;
        }
        return switch (parser.getNumberType()) {
            case INT -> Integer.toString(parser.getIntValue());
            case LONG -> Long.toString(parser.getLongValue());
            default -> {
                BigInteger value = parser.getBigIntegerValue();
                yield Double.isFinite(value.doubleValue()) ? value.toString() : null;
            }
        };
    }

    private static boolean hasNoControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainStreamName(String text) {
        if (text.isEmpty() || text.length() > 128 || !isLetterOrDigit(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainFeatureName(String text) {
        if (text.isEmpty() || text.length() > 128) {
            return false;
        }
        char first = text.charAt(0);
        if (!isLetterOrDigit(first) && first != '_') {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isLetterOrDigit(c) && c != '_' && c != '.' && c != ':' && c != '/' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
