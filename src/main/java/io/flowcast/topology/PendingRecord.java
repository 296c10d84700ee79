package io.flowcast.topology;

import io.flowcast.anomaly.SourceRef;

/**
 * A record admitted to its entity's history and waiting in the micro-batch for its model call. It carries what
 * scoring needs (the observation and the history before it) and what a dead letter needs (the original bytes). It is
 * kept in a changelogged store until its outputs are forwarded, so a commit between admission and scoring cannot
 * lose it: the offsets, the admission and later the outputs each commit atomically.
 *
 * @param historyKey the key of the entity's history ({@link ScoringProcessor#historyKey}), derived from the
 *                   observation once instead of at every step that needs it; not stored
 */
record PendingRecord(SourceRef source, long timestamp, byte[] key, byte[] value, Observation observation,
        EntityHistory prior, String historyKey) {

    PendingRecord(SourceRef source, long timestamp, byte[] key, byte[] value, Observation observation,
            EntityHistory prior) {
        this(source, timestamp, key, value, observation, prior, ScoringProcessor.historyKey(observation));
    }
}
