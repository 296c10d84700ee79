package io.flowcast.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowcast.anomaly.ModelRef;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConstantVelocityForecasterTest {

    /** Walkers heading at 45 degrees, 0.5 m per step; residuals 0.3 h m along the heading and 0.1 h m across. */
    private static List<TrajectoryWindow> diagonalWalkers(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double c = Math.sqrt(0.5);
        List<TrajectoryWindow> windows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] observed = new float[6];
            for (int t = 0; t < 3; t++) {
                observed[2 * t] = (float) (0.5 * c * t);
                observed[2 * t + 1] = (float) (0.5 * c * t);
            }
            double along = random.nextGaussian();
            double across = random.nextGaussian();
            float[] future = new float[8];
            for (int h = 1; h <= 4; h++) {
                double a = 0.5 * (2 + h) + 0.3 * h * along;
                double b = 0.1 * h * across;
                future[2 * h - 2] = (float) (c * a - c * b);
                future[2 * h - 1] = (float) (c * a + c * b);
            }
            windows.add(new TrajectoryWindow("synthetic", i, 0, observed, future));
        }
        return windows;
    }

    @Test
    void theHorizonSummaryIsTheFittedGaussianTurnedToTheWorldAndTheSampledPathsFollowIt() {
        ConstantVelocityForecaster forecaster = new ConstantVelocityForecaster(
                ConstantVelocityGaussian.fit(diagonalWalkers(20_000, 1)), new ModelRef("cv", 1), 3, 0.4);
        float[] observed = diagonalWalkers(1, 2).get(0).observed();
        int n = 20_000;
        PathForecast forecast = forecaster.forecast(List.of(observed), new long[] {7}, n).get(0);
        double c = Math.sqrt(0.5);
        for (int h = 1; h <= 4; h++) {
            double along = Math.pow(0.3 * h, 2);
            double across = Math.pow(0.1 * h, 2);
            // Mean: the constant-velocity position; covariance R diag(along, across) R^T for a 45-degree heading.
            assertEquals(c * 0.5 * (2 + h), forecast.means()[2 * h - 2], 0.01 * h);
            assertEquals(c * 0.5 * (2 + h), forecast.means()[2 * h - 1], 0.01 * h);
            assertEquals((along + across) / 2, forecast.covariances()[3 * h - 3], 0.03 * along);
            assertEquals((along - across) / 2, forecast.covariances()[3 * h - 2], 0.03 * along);
            assertEquals((along + across) / 2, forecast.covariances()[3 * h - 1], 0.03 * along);
            assertEquals(forecast.means()[2 * h - 2], forecast.mostLikely()[2 * h - 2], 1e-5);
            // The samples at this horizon have the summary's moments.
            double mx = 0;
            double my = 0;
            for (int s = 0; s < n; s++) {
                mx += forecast.paths()[s * 8 + 2 * h - 2] / (double) n;
                my += forecast.paths()[s * 8 + 2 * h - 1] / (double) n;
            }
            double sxx = 0;
            double sxy = 0;
            for (int s = 0; s < n; s++) {
                double dx = forecast.paths()[s * 8 + 2 * h - 2] - mx;
                double dy = forecast.paths()[s * 8 + 2 * h - 1] - my;
                sxx += dx * dx / n;
                sxy += dx * dy / n;
            }
            assertEquals(forecast.means()[2 * h - 2], mx, 0.02 * h);
            assertEquals(forecast.covariances()[3 * h - 3], sxx, 0.05 * along);
            assertEquals(forecast.covariances()[3 * h - 2], sxy, 0.05 * along);
        }
    }

    @Test
    void theSameSeedGivesTheSamePaths() {
        ConstantVelocityForecaster forecaster = new ConstantVelocityForecaster(
                ConstantVelocityGaussian.growing(4, 0.1), new ModelRef("cv", 1), 3, 0.4);
        float[] observed = {0, 0, 1, 0, 2, 0};
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                forecaster.forecast(List.of(observed), new long[] {3}, 5).get(0).paths(),
                forecaster.forecast(List.of(observed), new long[] {3}, 5).get(0).paths());
    }
}
