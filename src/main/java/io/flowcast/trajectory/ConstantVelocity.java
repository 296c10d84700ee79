package io.flowcast.trajectory;

import io.flowcast.flow.BaseNoise;
import java.util.SplittableRandom;

/**
 * The constant-velocity baseline: the last observed displacement repeated. With angle noise (Schöller et al.,
 * "What the constant velocity model can teach us about pedestrian motion prediction") each sample turns the
 * velocity by an angle drawn from N(0, sigma), which gives a best-of-N floor for samplers.
 */
public final class ConstantVelocity {

    /** Default angle noise: 25 degrees. */
    public static final double DEFAULT_ANGLE_SIGMA = Math.toRadians(25);

    private ConstantVelocity() {
    }

    /** The deterministic forecast of {@code steps} positions into {@code out[offset ..]}. */
    public static void predict(float[] observed, int steps, float[] out, int offset) {
        predictTurned(observed, steps, 1, 0, out, offset);
    }

    public static float[] predict(float[] observed, int steps) {
        float[] out = new float[2 * steps];
        predict(observed, steps, out, 0);
        return out;
    }

    /** {@code n} forecasts with the velocity turned by N(0, sigma) angles, back to back; seeded. */
    public static float[] sampleWithAngleNoise(float[] observed, int steps, int n, double sigma, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[n * 2 * steps];
        for (int i = 0; i < n; i++) {
            double angle = sigma * BaseNoise.gaussian(random);
            predictTurned(observed, steps, Math.cos(angle), Math.sin(angle), out, i * 2 * steps);
        }
        return out;
    }

    private static void predictTurned(float[] observed, int steps, double cos, double sin, float[] out, int offset) {
        int last = observed.length - 2;
        double x = observed[last];
        double y = observed[last + 1];
        double dx = x - observed[last - 2];
        double dy = y - observed[last - 1];
        double vx = cos * dx - sin * dy;
        double vy = sin * dx + cos * dy;
        for (int t = 1; t <= steps; t++) {
            out[offset + 2 * (t - 1)] = (float) (x + t * vx);
            out[offset + 2 * (t - 1) + 1] = (float) (y + t * vy);
        }
    }

}
