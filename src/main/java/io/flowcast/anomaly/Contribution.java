package io.flowcast.anomaly;

/**
 * One feature's share of a record's raw score, in nats: how much more likely the record would have been had this
 * feature taken its expected value. Positive pushes towards anomalous.
 */
public record Contribution(String feature, double contribution) {
}
