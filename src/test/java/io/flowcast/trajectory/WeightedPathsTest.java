package io.flowcast.trajectory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightedPathsTest {

    private static final int N = 12;
    private static final int H = 6;

    /** N straight walks of 1 m per step with random headings within +-20 degrees, each of a given density. */
    private static PathForecast walks(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] paths = new float[N * 2 * H];
        float[] logDensities = new float[N];
        for (int i = 0; i < N; i++) {
            double heading = Math.toRadians(40 * (random.nextDouble() - 0.5));
            for (int h = 0; h < H; h++) {
                paths[i * 2 * H + 2 * h] = (float) ((h + 1) * Math.cos(heading));
                paths[i * 2 * H + 2 * h + 1] = (float) ((h + 1) * Math.sin(heading));
            }
            logDensities[i] = (float) (-Math.abs(heading) * 10);
        }
        float[] mostLikely = new float[2 * H];
        for (int h = 0; h < H; h++) {
            mostLikely[2 * h] = h + 1;
        }
        return new PathForecast(N, H, paths, mostLikely, new double[2 * H], new double[3 * H], logDensities);
    }

    @Test
    void scoresReweightsAndReanchorsAsTheOfflineForecastStateDoes() {
        RapidUpdateConfig config = new RapidUpdateConfig(0.0, H, 0.05);
        PathForecast forecast = walks(7);
        ForecastState offline = new ForecastState(N, H, config);
        offline.reset(new TrajectoryForecast(N, H, forecast.paths(), new float[N * H], new float[N],
                forecast.mostLikely(), 0));
        WeightedPaths paths = WeightedPaths.of(forecast);
        double[][] observed = {{1.0, 0.1}, {1.9, 0.25}, {2.8, 0.45}};
        for (int step = 1; step <= observed.length; step++) {
            double expected = offline.observe(observed[step - 1][0], observed[step - 1][1]);
            WeightedPaths.Update update = paths.observe(step, observed[step - 1][0], observed[step - 1][1], config);
            assertEquals(expected, update.logDensity(), 1e-9, "step " + step);
            paths = update.next();
            assertEquals(offline.effectiveSampleSize(), paths.effectiveSampleSize(), 1e-9);
            for (int i = 0; i < N; i++) {
                assertEquals(offline.weight(i), paths.weights()[i], 1e-12);
                assertEquals(offline.position(i, 1, 0), paths.paths()[i * 2 * H + 2 * step]);
                assertEquals(offline.position(i, 1, 1), paths.paths()[i * 2 * H + 2 * step + 1]);
            }
        }
        assertEquals(observed.length, paths.observed());
        assertEquals(H - observed.length, paths.remaining());
    }

    @Test
    void theMostLikelyPathIsTheSampleOfHighestPosteriorDensityReanchored() {
        RapidUpdateConfig config = new RapidUpdateConfig(0.0, H, 0.05);
        PathForecast forecast = walks(11);
        WeightedPaths.Update update = WeightedPaths.of(forecast).observe(1, 1.0, 0.3, config);
        WeightedPaths next = update.next();
        int best = 0;
        for (int i = 1; i < N; i++) {
            if (Math.log(next.weights()[i]) + forecast.sampleLogDensities()[i]
                    > Math.log(next.weights()[best]) + forecast.sampleLogDensities()[best]) {
                best = i;
            }
        }
        float[] expected = java.util.Arrays.copyOfRange(next.paths(), best * 2 * H, (best + 1) * 2 * H);
        assertArrayEquals(expected, next.mostLikely());
        assertEquals(1.0f, next.mostLikely()[0]);
        assertEquals(0.3f, next.mostLikely()[1]);
    }

    @Test
    void theRemainingForecastIsTheKernelMixturesMoments() {
        RapidUpdateConfig config = new RapidUpdateConfig(0.0, H, 0.05);
        WeightedPaths paths = WeightedPaths.of(walks(3)).observe(2, 2.0, 0.2, config).next();
        PathForecast rest = paths.remainingForecast(config);
        assertEquals(H - 2, rest.horizons());
        assertEquals(N, rest.samples());
        // Step 3 of the paths is the first of the rest: mean, variance + bandwidth squared.
        double mx = 0;
        double vx = 0;
        for (int i = 0; i < N; i++) {
            mx += paths.weights()[i] * paths.paths()[i * 2 * H + 4];
        }
        for (int i = 0; i < N; i++) {
            double d = paths.paths()[i * 2 * H + 4] - mx;
            vx += paths.weights()[i] * d * d;
        }
        double b = paths.bandwidth(4, config.minBandwidth());
        assertEquals(mx, rest.means()[0], 1e-9);
        assertEquals(vx + b * b, rest.covariances()[0], 1e-9);
        assertEquals(paths.paths()[4], rest.paths()[0]);
    }

    @Test
    void aStepOutOfReachOrABadPositionChangesNothing() {
        RapidUpdateConfig config = RapidUpdateConfig.defaults();
        WeightedPaths paths = WeightedPaths.of(walks(5));
        assertNull(paths.observe(0, 1, 0, config).next());
        assertNull(paths.observe(H + 1, 1, 0, config).next());
        assertNull(paths.observe(1, Double.NaN, 0, config).next());
        assertTrue(Double.isNaN(paths.observe(1, 1, Double.POSITIVE_INFINITY, config).logDensity()));
        // A skipped step: the position at step 3 re-weights by step 3 alone.
        WeightedPaths skipped = paths.observe(3, 3, 0, config).next();
        assertEquals(3, skipped.observed());
    }

    @Test
    void theModelRunsAgainWhenTheWeightsDegenerateOrTheStepBudgetIsSpent() {
        WeightedPaths paths = WeightedPaths.of(walks(9));
        assertTrue(!paths.needsRerun(new RapidUpdateConfig(0.5, 2, 0.05)));
        WeightedPaths once = paths.observe(1, 1, 0, new RapidUpdateConfig(0.5, 2, 0.05)).next();
        assertTrue(once.needsRerun(new RapidUpdateConfig(0.5, 1, 0.05)), "step budget");
        assertTrue(once.needsRerun(new RapidUpdateConfig(1.0, H, 0.05)), "ess " + once.effectiveSampleSize());
        assertTrue(!once.needsRerun(new RapidUpdateConfig(0.0, H, 0.05)));
    }
}
