package io.flowcast.bench.ethucy;

/**
 * Accumulates one test set's figures (sums and counts; means on read). Distances are divided by the coordinate
 * scale applied before inference, and log-densities corrected by its Jacobian, so every figure is in the
 * recording's own metres.
 */
final class SceneMetrics {

    final int horizons;
    final double scale;
    long windows;
    double ade20;
    double fde20;
    double jointAde20;
    double jointFde20;
    double adeMl;
    double fdeMl;
    double cvAde;
    double cvFde;
    double cvAde20;
    double cvFde20;
    final double[] nll;
    final double[] conditionalNll;
    final double[] cvGaussianNll;
    double staleAdeAfterUpdate;
    double updatedAdeAfterUpdate;
    double anomalyScoreKernel;
    double anomalyScoreExact;
    long agentsForecast;
    long forecastNanos;
    long frames;

    SceneMetrics(int horizons, double scale) {
        this.horizons = horizons;
        this.scale = scale;
        this.nll = new double[horizons];
        this.conditionalNll = new double[horizons];
        this.cvGaussianNll = new double[horizons];
    }

    double mean(double sum) {
        return sum / windows;
    }

    double distance(double sum) {
        return sum / windows / scale;
    }

    /** -log p in original metres: p_world(y) = p_scaled(s y) s^2. */
    double nll(double sumOfNegLogScaled) {
        return sumOfNegLogScaled / windows - 2 * Math.log(scale);
    }

    double meanNll() {
        double sum = 0;
        for (double v : nll) {
            sum += nll(v);
        }
        return sum / horizons;
    }

    double meanConditionalNll() {
        double sum = 0;
        for (double v : conditionalNll) {
            sum += nll(v);
        }
        return sum / horizons;
    }

    double meanCvGaussianNll() {
        double sum = 0;
        for (double v : cvGaussianNll) {
            sum += nll(v);
        }
        return sum / horizons;
    }

    double forecastMicrosPerAgent() {
        return forecastNanos / 1e3 / agentsForecast;
    }
}
