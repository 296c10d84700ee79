package io.flowcast.trajectory;

import java.util.List;

/**
 * Constant velocity plus a Gaussian per horizon fitted to its residuals (in the agent's {@link CanonicalFrame}:
 * along and across the heading, where the errors separate). The density baseline the flow's NLL must beat: exact,
 * cheap, and blind to everything but the last velocity.
 */
public final class ConstantVelocityGaussian {

    private static final double LOG_TWO_PI = Math.log(2 * Math.PI);
    /** Keeps a fitted covariance positive definite (1 mm standard deviation). */
    private static final double VARIANCE_FLOOR = 1e-6;

    private final int steps;
    /** Per horizon: mean x, mean y, var x, cov xy, var y (residuals in the canonical frame). */
    private final double[][] moments;

    private ConstantVelocityGaussian(int steps, double[][] moments) {
        this.steps = steps;
        this.moments = moments;
    }

    public static ConstantVelocityGaussian fit(List<TrajectoryWindow> windows) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("need at least one window to fit");
        }
        int steps = windows.get(0).futureSteps();
        double[][] sums = new double[steps][5];
        long n = 0;
        float[] residual = new float[2 * steps];
        for (TrajectoryWindow window : windows) {
            if (window.futureSteps() != steps) {
                continue;
            }
            residuals(window.observed(), window.future(), residual);
            for (int h = 0; h < steps; h++) {
                double rx = residual[2 * h];
                double ry = residual[2 * h + 1];
                sums[h][0] += rx;
                sums[h][1] += ry;
                sums[h][2] += rx * rx;
                sums[h][3] += rx * ry;
                sums[h][4] += ry * ry;
            }
            n++;
        }
        double[][] moments = new double[steps][5];
        for (int h = 0; h < steps; h++) {
            double mx = sums[h][0] / n;
            double my = sums[h][1] / n;
            moments[h][0] = mx;
            moments[h][1] = my;
            moments[h][2] = Math.max(sums[h][2] / n - mx * mx, VARIANCE_FLOOR);
            moments[h][3] = sums[h][3] / n - mx * my;
            moments[h][4] = Math.max(sums[h][4] / n - my * my, VARIANCE_FLOOR);
        }
        return new ConstantVelocityGaussian(steps, moments);
    }

    /**
     * The unfitted prior: zero-mean residuals whose standard deviation grows by {@code sigmaPerStep} metres per step,
     * along and across the heading alike (an uncertain velocity spreads linearly with the horizon). Serves until a
     * fit on real tracks, or a trained flow chain, replaces it.
     */
    public static ConstantVelocityGaussian growing(int steps, double sigmaPerStep) {
        if (steps < 1 || !(sigmaPerStep > 0) || Double.isInfinite(sigmaPerStep)) {
            throw new IllegalArgumentException("need steps >= 1 and a positive finite sigma: " + steps + ", "
                    + sigmaPerStep);
        }
        double[][] moments = new double[steps][5];
        for (int h = 0; h < steps; h++) {
            double variance = Math.max(Math.pow(sigmaPerStep * (h + 1), 2), VARIANCE_FLOOR);
            moments[h] = new double[] {0, 0, variance, 0, variance};
        }
        return new ConstantVelocityGaussian(steps, moments);
    }

    /** Residual mean x, y and covariance xx, xy, yy at {@code horizon} (1-based), in the canonical frame. */
    double[] moments(int horizon) {
        return moments[horizon - 1].clone();
    }

    public int steps() {
        return steps;
    }

    /** log p(position at {@code horizon} (1-based) = (x, y) | observed), world coordinates. */
    public double logDensity(float[] observed, int horizon, double x, double y) {
        CanonicalFrame frame = CanonicalFrame.of(observed);
        float[] cv = ConstantVelocity.predict(observed, horizon);
        double[] m = moments[horizon - 1];
        double cvX = frame.localX(cv[2 * horizon - 2], cv[2 * horizon - 1]);
        double cvY = frame.localY(cv[2 * horizon - 2], cv[2 * horizon - 1]);
        double dx = frame.localX(x, y) - cvX - m[0];
        double dy = frame.localY(x, y) - cvY - m[1];
        double det = m[2] * m[4] - m[3] * m[3];
        if (!(det > 0)) {
            det = m[2] * m[4];
        }
        double quadratic = (m[4] * dx * dx - 2 * m[3] * dx * dy + m[2] * dy * dy) / det;
        return -LOG_TWO_PI - 0.5 * Math.log(det) - 0.5 * quadratic;
    }

    /** Residuals truth - constant velocity, per step, in the canonical frame. */
    private static void residuals(float[] observed, float[] future, float[] out) {
        CanonicalFrame frame = CanonicalFrame.of(observed);
        int steps = future.length / 2;
        float[] cv = ConstantVelocity.predict(observed, steps);
        for (int h = 0; h < steps; h++) {
            out[2 * h] = (float) (frame.localX(future[2 * h], future[2 * h + 1])
                    - frame.localX(cv[2 * h], cv[2 * h + 1]));
            out[2 * h + 1] = (float) (frame.localY(future[2 * h], future[2 * h + 1])
                    - frame.localY(cv[2 * h], cv[2 * h + 1]));
        }
    }
}
