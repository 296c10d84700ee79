package io.flowcast.trajectory;

import io.flowcast.flow.BaseNoise;
import io.flowcast.anomaly.ModelRef;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Forecasts with a {@link ConstantVelocityGaussian}: at horizon h the position is Gaussian around the constant-velocity
 * prediction shifted by the residual mean, with the residual covariance turned from the agent's frame to the world.
 * That Gaussian is the exact horizon summary and its mean the most likely position. A sampled path draws one
 * standard-normal pair per path and maps it through every horizon's Cholesky factor, so a path is a coherent
 * trajectory (a perturbed heading and speed) whose position at each horizon has exactly that horizon's Gaussian.
 */
public final class ConstantVelocityForecaster implements PathForecaster {

    private final ConstantVelocityGaussian model;
    private final ModelRef ref;
    private final int observedSteps;
    private final double stepSeconds;

    public ConstantVelocityForecaster(ConstantVelocityGaussian model, ModelRef ref, int observedSteps,
            double stepSeconds) {
        if (observedSteps < 2 || !(stepSeconds > 0)) {
            throw new IllegalArgumentException("need 2 observed steps and a positive step");
        }
        this.model = model;
        this.ref = ref;
        this.observedSteps = observedSteps;
        this.stepSeconds = stepSeconds;
    }

    @Override
    public ModelRef model() {
        return ref;
    }

    @Override
    public int observedSteps() {
        return observedSteps;
    }

    @Override
    public int horizons() {
        return model.steps();
    }

    @Override
    public double stepSeconds() {
        return stepSeconds;
    }

    @Override
    public List<PathForecast> forecast(List<float[]> histories, long[] seeds, int samples) {
        List<PathForecast> out = new ArrayList<>(histories.size());
        for (int a = 0; a < histories.size(); a++) {
            out.add(forecast(histories.get(a), seeds[a], samples));
        }
        return out;
    }

    private PathForecast forecast(float[] observed, long seed, int samples) {
        int horizons = model.steps();
        CanonicalFrame frame = CanonicalFrame.of(observed);
        // The frame's axes in world coordinates: local (1, 0) and (0, 1).
        double ux = frame.worldX(1, 0) - frame.originX();
        double uy = frame.worldY(1, 0) - frame.originY();
        double vx = frame.worldX(0, 1) - frame.originX();
        double vy = frame.worldY(0, 1) - frame.originY();
        float[] cv = ConstantVelocity.predict(observed, horizons);
        double[] means = new double[2 * horizons];
        double[] covariances = new double[3 * horizons];
        double[][] cholesky = new double[horizons][3];
        float[] mostLikely = new float[2 * horizons];
        for (int h = 0; h < horizons; h++) {
            double[] m = model.moments(h + 1);
            means[2 * h] = cv[2 * h] + m[0] * ux + m[1] * vx;
            means[2 * h + 1] = cv[2 * h + 1] + m[0] * uy + m[1] * vy;
            mostLikely[2 * h] = (float) means[2 * h];
            mostLikely[2 * h + 1] = (float) means[2 * h + 1];
            // World covariance R S R^T, R's columns being the frame's axes.
            double sxx = m[2];
            double sxy = m[3];
            double syy = m[4];
            covariances[3 * h] = ux * ux * sxx + 2 * ux * vx * sxy + vx * vx * syy;
            covariances[3 * h + 1] = ux * uy * sxx + (ux * vy + vx * uy) * sxy + vx * vy * syy;
            covariances[3 * h + 2] = uy * uy * sxx + 2 * uy * vy * sxy + vy * vy * syy;
            double l11 = Math.sqrt(sxx);
            double l21 = sxy / l11;
            double l22 = Math.sqrt(Math.max(syy - l21 * l21, 0));
            cholesky[h] = new double[] {l11, l21, l22};
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] paths = new float[samples * 2 * horizons];
        for (int s = 0; s < samples; s++) {
            double z1 = BaseNoise.gaussian(random);
            double z2 = BaseNoise.gaussian(random);
            for (int h = 0; h < horizons; h++) {
                double[] l = cholesky[h];
                double lx = l[0] * z1;
                double ly = l[1] * z1 + l[2] * z2;
                int at = s * 2 * horizons + 2 * h;
                paths[at] = (float) (means[2 * h] + lx * ux + ly * vx);
                paths[at + 1] = (float) (means[2 * h + 1] + lx * uy + ly * vy);
            }
        }
        return new PathForecast(samples, horizons, paths, mostLikely, means, covariances);
    }

}
