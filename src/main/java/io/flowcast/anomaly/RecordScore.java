package io.flowcast.anomaly;

import java.util.List;
import java.util.Map;

/**
 * What a calibrated model says about one record.
 *
 * @param logDensity      log p(x | context) under the model
 * @param tailProbability calibrated: the conformal p-value of -logDensity among the held-out scores
 * @param threshold       alpha: the record is anomalous when tailProbability <= alpha
 * @param attribution     features by absolute contribution, largest first
 * @param expected        the model's expectation of each feature given the context (the median of samples)
 */
public record RecordScore(double logDensity, double tailProbability, double threshold, boolean anomalous,
        List<Contribution> attribution, Map<String, Double> expected) {
}
