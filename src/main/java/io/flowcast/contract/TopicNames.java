package io.flowcast.contract;

import java.util.List;

/**
 * The names of Flowcast's topics, in one place. Each has a contract in {@code schemas/<name>.schema.json}.
 * Plain strings so any package (topology, registry, HTTP, tests) can use them without depending on Kafka.
 */
public final class TopicNames {

    /** Observed positions of moving agents (input; key: entity id). */
    public static final String TRAJECTORIES = "flowcast.trajectories";
    /** Multivariate observations of entities in named streams (input; key: entity id). */
    public static final String EVENTS = "flowcast.events";
    /** Anomaly descriptors, one per scored input record (output). */
    public static final String SCORES = "flowcast.scores";
    /** Forecasts of future paths, one per trajectory update (output). */
    public static final String FORECASTS = "flowcast.forecasts";
    /** Anomaly episode transitions (output). */
    public static final String ALERTS = "flowcast.alerts";
    /** Input records that could not be processed, with the reason (output). */
    public static final String DLQ = "flowcast.dlq";
    /** The model registry: manifests, artifact chunks and activations (compacted). */
    public static final String MODELS = "flowcast.models";

    /** The topics records enter the service through. */
    public static final List<String> INPUTS = List.of(TRAJECTORIES, EVENTS);

    /** Every topic with a contract. */
    public static final List<String> ALL = List.of(TRAJECTORIES, EVENTS, SCORES, FORECASTS, ALERTS, DLQ, MODELS);

    private TopicNames() {
    }
}
