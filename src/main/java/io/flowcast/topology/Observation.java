package io.flowcast.topology;

import java.util.Map;

/**
 * One validated input record, as the scorer sees it: whose it is, when, which stream (model) it belongs to, its
 * numeric features by name and the categorical attributes carried through to the score.
 */
public record Observation(String entityId, long eventTime, String stream, Map<String, Double> features,
        Map<String, String> attributes) {
}
