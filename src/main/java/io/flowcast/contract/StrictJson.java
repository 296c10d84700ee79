package io.flowcast.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Reads record bytes as exactly one JSON document, refusing what a lenient reader would guess at: NaN and Infinity
 * literals, duplicate keys (which value would win?), trailing data after the document, comments, single quotes.
 * Numbers keep Jackson's default types, so a literal such as {@code 1e400} becomes an infinite double, which
 * {@link FiniteNumbers} then reports. Thread-safe: the reader is immutable.
 */
public final class StrictJson {

    private static final ObjectReader READER = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .disable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Correctly rounded like the JDK's parser (the same doubles), several times faster on long decimals.
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build()
            .reader();

    private StrictJson() {
    }

    /**
     * Parses {@code bytes} (UTF-8) as one JSON document.
     *
     * @throws MalformedJsonException when the bytes are empty or not one strict JSON document
     */
    public static JsonNode parse(byte[] bytes) throws MalformedJsonException {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedJsonException("empty record: no JSON document");
        }
        try {
            JsonNode node = READER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new MalformedJsonException("no JSON document (only whitespace)");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(describe(e));
        } catch (IOException e) {
            // Invalid UTF-8 and similar decoding failures surface as plain IOExceptions.
            throw new MalformedJsonException("unreadable bytes: " + e.getMessage());
        }
    }

    /**
     * A streaming parser over {@code bytes} with the same strictness as {@link #parse}: no NaN/Infinity literals,
     * comments or single quotes, and a duplicate key throws. The caller checks for trailing data.
     */
    static JsonParser parser(byte[] bytes) throws IOException {
        return READER.createParser(bytes);
    }

    /** Jackson's message without the source excerpt, plus where it happened: enough to fix the producer. */
    private static String describe(JsonProcessingException e) {
        var location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return "not valid JSON" + where + ": " + e.getOriginalMessage();
    }

    /** The record bytes are not one strict JSON document. */
    public static final class MalformedJsonException extends Exception {
        MalformedJsonException(String message) {
            super(message, null, false, false);
        }
    }
}
