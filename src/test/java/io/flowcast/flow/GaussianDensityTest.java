package io.flowcast.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianDensityTest {

    /** x = A c + b + e, e ~ N(0, S) with S = [[1, 0.6], [0.6, 0.5]], c ~ N(m, diag(v)). */
    private static final double[][] A = {{2.0, -1.0, 0.5}, {0.0, 3.0, -2.0}};
    private static final double[] B = {10, -5};
    private static final double[][] L = {{1.0, 0.0}, {0.6, Math.sqrt(0.5 - 0.36)}};

    @Test
    void recoversTheGeneratingConditionalMeanAndCovariance() {
        int n = 20_000;
        float[][] data = generate(n, 7);
        GaussianDensity density = GaussianDensity.fit(data[0], data[1], n, 2, 3, 1e-6);

        float[] c = {1.5f, -0.5f, 4f};
        double[] mean = density.conditionalMean(c, 0);
        assertEquals(2 * 1.5 + 0.5 + 0.5 * 4 + 10, mean[0], 0.05);
        assertEquals(3 * -0.5 - 2 * 4 - 5, mean[1], 0.05);
        assertEquals(1.0, density.covariance(0, 0), 0.05);
        assertEquals(0.6, density.covariance(0, 1), 0.03);
        assertEquals(0.5, density.covariance(1, 1), 0.03);
    }

    @Test
    void logProbIsTheBivariateNormalDensity() {
        int n = 5_000;
        float[][] data = generate(n, 11);
        GaussianDensity density = GaussianDensity.fit(data[0], data[1], n, 2, 3, 1e-6);
        float[] c = {0.2f, 1.0f, -1.0f};
        double[] mu = density.conditionalMean(c, 0);
        float[] x = {(float) (mu[0] + 0.7), (float) (mu[1] - 0.4)};

        double sxx = density.covariance(0, 0);
        double sxy = density.covariance(0, 1);
        double syy = density.covariance(1, 1);
        double det = sxx * syy - sxy * sxy;
        double dx = x[0] - mu[0];
        double dy = x[1] - mu[1];
        double quadratic = (syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det;
        double expected = -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * quadratic;

        assertEquals(expected, density.logProb(x, c, 1)[0], 1e-4);
    }

    @Test
    void densityIntegratesToOne() {
        // One feature, one context column: integrate exp(logProb) over a fine grid around the conditional mean.
        SplittableRandom random = new SplittableRandom(3);
        int n = 2_000;
        float[] x = new float[n];
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            c[i] = (float) random.nextGaussian();
            x[i] = (float) (4 * c[i] + 0.3 * random.nextGaussian());
        }
        GaussianDensity density = GaussianDensity.fit(x, c, n, 1, 1, 1e-6);
        int steps = 4_000;
        float[] grid = new float[steps];
        float[] contexts = new float[steps];
        double from = 4 - 3;
        double width = 6.0 / steps;
        for (int i = 0; i < steps; i++) {
            grid[i] = (float) (from + (i + 0.5) * width);
            contexts[i] = 1f;
        }
        float[] logProbs = density.logProb(grid, contexts, steps);
        double integral = 0;
        for (float logProb : logProbs) {
            integral += Math.exp(logProb) * width;
        }
        assertEquals(1.0, integral, 1e-3);
    }

    @Test
    void samplesFollowTheConditionalDistributionAndRepeatForASeed() {
        int n = 5_000;
        float[][] data = generate(n, 5);
        GaussianDensity density = GaussianDensity.fit(data[0], data[1], n, 2, 3, 1e-6);
        float[] c = {0f, 0f, 1f, 1f, 1f, 1f};
        int draws = 20_000;
        float[] samples = density.sample(c, 2, draws, 99);
        assertEquals(2 * draws * 2, samples.length);

        double[] mu = density.conditionalMean(c, 1);
        double m0 = 0;
        double m1 = 0;
        double c01 = 0;
        int base = draws * 2;
        for (int s = 0; s < draws; s++) {
            m0 += samples[base + s * 2];
            m1 += samples[base + s * 2 + 1];
        }
        m0 /= draws;
        m1 /= draws;
        for (int s = 0; s < draws; s++) {
            c01 += (samples[base + s * 2] - m0) * (samples[base + s * 2 + 1] - m1);
        }
        c01 /= draws;
        assertEquals(mu[0], m0, 0.03);
        assertEquals(mu[1], m1, 0.03);
        assertEquals(density.covariance(0, 1), c01, 0.03);
        assertArrayEquals(samples, density.sample(c, 2, draws, 99));
    }

    @Test
    void collinearContextColumnsStillFit() {
        // Values and their deltas are linearly dependent; the ridge keeps the normal equations solvable.
        int n = 200;
        float[] x = new float[n];
        float[] c = new float[n * 3];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            float a = (float) random.nextGaussian();
            float b = (float) random.nextGaussian();
            c[i * 3] = a;
            c[i * 3 + 1] = b;
            c[i * 3 + 2] = a - b;
            x[i] = (float) (a + 0.1 * random.nextGaussian());
        }
        GaussianDensity density = GaussianDensity.fit(x, c, n, 1, 3, 1e-3);
        assertEquals(1.0, density.conditionalMean(new float[] {1f, 0f, 1f}, 0)[0], 0.1);
    }

    @Test
    void constantFeatureGetsAVarianceFloorInsteadOfFailing() {
        int n = 50;
        float[] x = new float[n];
        java.util.Arrays.fill(x, 21.5f);
        float[] c = new float[n];
        GaussianDensity density = GaussianDensity.fit(x, c, n, 1, 1, 1e-3);
        float logAtValue = density.logProb(new float[] {21.5f}, new float[] {0f}, 1)[0];
        float logElsewhere = density.logProb(new float[] {22.5f}, new float[] {0f}, 1)[0];
        assertEquals(true, Float.isFinite(logAtValue) && logAtValue > logElsewhere);
    }

    @Test
    void rejectsMismatchedShapes() {
        assertThrows(IllegalArgumentException.class, () -> GaussianDensity.fit(new float[4], new float[3], 2, 2, 2,
                0));
        GaussianDensity density = GaussianDensity.fit(new float[] {1, 2, 3}, new float[] {0, 1, 2}, 3, 1, 1, 0);
        assertThrows(IllegalArgumentException.class, () -> density.logProb(new float[2], new float[1], 2));
    }

    private static float[][] generate(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * 2];
        float[] c = new float[n * 3];
        double[] means = {1, -2, 3};
        double[] sds = {1, 2, 0.5};
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < 3; j++) {
                c[r * 3 + j] = (float) (means[j] + sds[j] * random.nextGaussian());
            }
            double z0 = random.nextGaussian();
            double z1 = random.nextGaussian();
            double[] e = {L[0][0] * z0, L[1][0] * z0 + L[1][1] * z1};
            for (int t = 0; t < 2; t++) {
                double mu = B[t];
                for (int j = 0; j < 3; j++) {
                    mu += A[t][j] * c[r * 3 + j];
                }
                x[r * 2 + t] = (float) (mu + e[t]);
            }
        }
        return new float[][] {x, c};
    }
}
