package io.flowcast.flow.train;

/** Linear warm-up to the peak rate, then cosine decay to the floor at the last planned step. */
final class LearningRateSchedule {

    private final double peak;
    private final double floor;
    private final long warmupSteps;
    private final long totalSteps;

    LearningRateSchedule(double peak, double floor, long warmupSteps, long totalSteps) {
        this.peak = peak;
        this.floor = floor;
        this.warmupSteps = warmupSteps;
        this.totalSteps = Math.max(totalSteps, warmupSteps + 1);
    }

    /** The rate for step {@code step} (counting from 0). */
    double rate(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
        return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
    }
}
