package io.flowcast.retrain;

/**
 * How a model did on the validation records (later in time than anything it was trained or calibrated on).
 *
 * @param meanNll          mean negative log-density per record (nats)
 * @param calibrationError the largest gap, over a few alpha levels, between alpha and the share of validation
 *                         records whose calibrated tail probability is at most alpha (0 = perfectly calibrated)
 * @param records          validation records
 * @param finite           whether every log-density was finite
 */
public record Evaluation(double meanNll, double calibrationError, int records, boolean finite) {
}
