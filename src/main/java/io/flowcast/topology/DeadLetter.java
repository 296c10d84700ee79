package io.flowcast.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.DlqReason;
import java.util.Base64;
import java.util.List;

/**
 * A record the service could not process, kept byte for byte with why ({@code flowcast.dlq}). Replaying a fixed
 * record means decoding {@code originalValue} and producing it to {@code source.topic} again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
        @JsonInclude(JsonInclude.Include.ALWAYS) String originalValue,
        String originalKey,
        Long originalTimestamp,
        SourceRef source,
        DlqReason reason,
        String detail,
        List<String> violations,
        long failedAt) {

    static final int MAX_DETAIL = 4096;
    static final int MAX_VIOLATIONS = 32;
    static final int MAX_VIOLATION = 1024;

    /** Builds a dead letter, base64-encoding the original bytes and cutting texts to the contract's limits. */
    public static DeadLetter of(byte[] key, byte[] value, long timestamp, SourceRef source, DlqReason reason,
            String detail, List<String> violations, long failedAt) {
        List<String> kept = violations == null || violations.isEmpty() ? null
                : violations.stream().limit(MAX_VIOLATIONS).map(v -> cut(v, MAX_VIOLATION)).toList();
        return new DeadLetter(base64(value), base64(key), timestamp >= 0 ? timestamp : null, source, reason,
                cut(detail == null ? reason.name() : detail, MAX_DETAIL), kept, failedAt);
    }

    private static String base64(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
