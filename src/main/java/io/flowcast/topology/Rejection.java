package io.flowcast.topology;

import io.flowcast.contract.DlqReason;
import java.util.List;

/** Why a record goes to the dead-letter queue instead of being scored. */
public record Rejection(DlqReason reason, String detail, List<String> violations) {

    public static Rejection of(DlqReason reason, String detail) {
        return new Rejection(reason, detail, List.of());
    }
}
