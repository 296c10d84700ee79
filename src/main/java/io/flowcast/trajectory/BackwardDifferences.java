package io.flowcast.trajectory;

/**
 * Velocities and accelerations from positions by backward differences only: the value at step t uses steps t and
 * t - 1 (velocity) or t, t - 1, t - 2 (acceleration), never t + 1. Central differences, as Trajectron++ first used,
 * leak the first future position into the last observed velocity.
 */
public final class BackwardDifferences {

    private BackwardDifferences() {
    }

    /** v_t = (p_t - p_{t-1}) / dt for t = 1..n-1, written to {@code out} as (n - 1) pairs. */
    public static void velocities(float[] xy, int steps, double dt, float[] out, int offset) {
        for (int t = 1; t < steps; t++) {
            out[offset + 2 * (t - 1)] = (float) ((xy[2 * t] - xy[2 * t - 2]) / dt);
            out[offset + 2 * (t - 1) + 1] = (float) ((xy[2 * t + 1] - xy[2 * t - 1]) / dt);
        }
    }

    /** a_t = (v_t - v_{t-1}) / dt = (p_t - 2 p_{t-1} + p_{t-2}) / dt^2 for t = 2..n-1, as (n - 2) pairs. */
    public static void accelerations(float[] xy, int steps, double dt, float[] out, int offset) {
        double dt2 = dt * dt;
        for (int t = 2; t < steps; t++) {
            out[offset + 2 * (t - 2)] = (float) ((xy[2 * t] - 2 * xy[2 * t - 2] + xy[2 * t - 4]) / dt2);
            out[offset + 2 * (t - 2) + 1] = (float) ((xy[2 * t + 1] - 2 * xy[2 * t - 1] + xy[2 * t - 3]) / dt2);
        }
    }
}
