package io.flowcast.contract;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A record read from raw bytes and checked against its contract.
 *
 * @param value  the parsed record; {@code null} when the bytes were oversized or not JSON
 * @param result valid, or why not
 */
public record CheckedRecord(JsonNode value, ValidationResult result) {

    public boolean isValid() {
        return result.isValid();
    }
}
