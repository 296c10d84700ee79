package io.flowcast.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The contract of one topic: its compiled JSON Schema plus the checks a schema cannot express (finite numbers,
 * strict parsing, a size limit). Immutable and thread-safe: the schema is compiled and its validators initialised
 * once, then shared by every stream thread.
 */
public final class TopicContract {

    private final String topic;
    private final JsonSchema schema;

    TopicContract(String topic, JsonSchema schema) {
        this.topic = topic;
        this.schema = schema;
        // Build every keyword validator now, so the first record pays nothing and no thread sees lazy initialisation.
        schema.initializeValidators();
    }

    public String topic() {
        return topic;
    }

    /** Checks a parsed record. Non-finite numbers are reported first, since they also break numeric keywords. */
    public ValidationResult validate(JsonNode record) {
        if (record == null || record.isMissingNode()) {
            return ValidationResult.invalid(DlqReason.SCHEMA_VIOLATION,
                    List.of(new Violation("$", "type", "$: no record value")));
        }
        List<Violation> nonFinite = FiniteNumbers.find(record);
        if (!nonFinite.isEmpty()) {
            return ValidationResult.invalid(DlqReason.NON_FINITE_VALUE, nonFinite);
        }
        Set<ValidationMessage> messages;
        try {
            messages = schema.validate(record);
        } catch (IllegalArgumentException e) {
            // networknt cannot write the JSON path of an empty property name and throws while reporting it; every
            // object with free names in these contracts requires non-empty names, so the record breaks the schema.
            return ValidationResult.invalid(DlqReason.SCHEMA_VIOLATION, List.of(emptyNameViolation(record, e)));
        }
        if (messages.isEmpty()) {
            return ValidationResult.valid();
        }
        List<Violation> violations = new ArrayList<>(messages.size());
        for (ValidationMessage message : messages) {
            violations.add(new Violation(message.getInstanceLocation().toString(), message.getType(),
                    message.getMessage()));
        }
        return ValidationResult.invalid(DlqReason.SCHEMA_VIOLATION, violations);
    }

    private static Violation emptyNameViolation(JsonNode record, IllegalArgumentException cause) {
        String location = EmptyPropertyNames.locate(record);
        if (location == null) {
            return new Violation("$", "schema", "$: the schema validator failed: " + cause.getMessage());
        }
        return new Violation(location, "propertyNames", location + ": an empty property name is not allowed");
    }

    /**
     * Reads raw record bytes (UTF-8 JSON) and checks them: oversized records are refused before parsing, so a
     * hostile producer cannot make the service parse megabytes.
     *
     * @param maxBytes the largest record accepted
     */
    public CheckedRecord read(byte[] bytes, int maxBytes) {
        if (bytes != null && bytes.length > maxBytes) {
            return new CheckedRecord(null, ValidationResult.invalid(DlqReason.OVERSIZED, List.of(new Violation("$",
                    "size", "$: record of " + bytes.length + " bytes exceeds the limit of " + maxBytes + " bytes"))));
        }
        JsonNode value;
        try {
            value = StrictJson.parse(bytes);
        } catch (StrictJson.MalformedJsonException e) {
            return new CheckedRecord(null, ValidationResult.invalid(DlqReason.MALFORMED_JSON,
                    List.of(new Violation("$", "json", "$: " + e.getMessage()))));
        }
        return new CheckedRecord(value, validate(value));
    }

    @Override
    public String toString() {
        return "TopicContract[" + topic + "]";
    }
}
