package io.flowcast.contract;

/**
 * Why a record went to {@code flowcast.dlq}. The names are the {@code reason} enum of the DLQ contract (a test holds
 * them equal) and the {@code reason} tag of {@code flowcast_dlq_records_total}.
 */
public enum DlqReason {
    /** Not one parseable JSON object: syntax errors, NaN/Infinity literals, duplicate keys, trailing data, bad UTF-8. */
    MALFORMED_JSON,
    /** Valid JSON that breaks the topic's schema. */
    SCHEMA_VIOLATION,
    /** A number that is NaN or Infinity, or overflows a double (1e400). */
    NON_FINITE_VALUE,
    /** Larger than the configured maximum record size. */
    OVERSIZED,
    /** Names a stream the service is not configured to score. */
    UNKNOWN_STREAM,
    /** Lacks a feature its model needs. */
    MISSING_FEATURE,
    /** A feature value beyond the configured plausible magnitude (flowcast.scoring.max-abs-value). */
    OUT_OF_RANGE,
    /** The same event time as the entity's newest record in its stream: a re-sent record. */
    DUPLICATE,
    /** An event time before the entity's newest record in its stream: its history has moved past it. */
    OUT_OF_ORDER,
    /** Anything else that failed while processing the record. */
    PROCESSING_ERROR
}
