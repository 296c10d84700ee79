package io.flowcast.anomaly;

/** Where an input record was read: topic, partition and offset identify it exactly. */
public record SourceRef(String topic, int partition, long offset) {
}
