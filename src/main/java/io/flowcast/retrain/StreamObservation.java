package io.flowcast.retrain;

/** One record of a stream as the retrainer reads it from the topics: whose, when, and x in feature order. */
public record StreamObservation(String entityId, long eventTime, float[] x) {
}
