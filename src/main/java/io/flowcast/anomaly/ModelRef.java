package io.flowcast.anomaly;

/** The exact model version that produced an output record. */
public record ModelRef(String name, int version) {
}
