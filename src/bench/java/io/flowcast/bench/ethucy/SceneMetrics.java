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
    long frames;
    /** The served (fused) forecast, one call per frame. */
    final Timing forecast = new Timing();
    /** Frames timed both ways: the fused graph and one session per flow. */
    final Timing pairedFused = new Timing();
    final Timing stepwise = new Timing();
    /** The fused forecast over consecutive frames pooled into larger batches. */
    final Timing pooled = new Timing();
    /** Density grids at every horizon for all agents of a frame. */
    final Timing grid = new Timing();

    /** Summed wall and CPU time of a timed section, and the agents it covered. */
    static final class Timing {
        long wallNanos;
        long cpuNanos;
        long agents;

        void add(Stopwatch watch, int count) {
            wallNanos += watch.wallNanos();
            cpuNanos += watch.cpuNanos();
            agents += count;
        }

        void add(Timing other) {
            wallNanos += other.wallNanos;
            cpuNanos += other.cpuNanos;
            agents += other.agents;
        }

        double wallMicrosPerAgent() {
            return wallNanos / 1e3 / agents;
        }

        double cpuMicrosPerAgent() {
            return cpuNanos / 1e3 / agents;
        }
    }

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

    double agentsPerFrame() {
        return (double) forecast.agents / frames;
    }
}
