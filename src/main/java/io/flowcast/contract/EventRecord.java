package io.flowcast.contract;

import java.util.Map;

/**
 * A {@code flowcast.events} record that its contract accepts, read without building a JSON tree.
 *
 * @param features   feature name to value, in document order
 * @param attributes categorical attributes; empty when absent
 */
public record EventRecord(String entityId, long eventTime, String stream, Map<String, Double> features,
        Map<String, String> attributes) {
}
