package io.flowcast.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ForecastStateTest {

    private static final int H = 12;

    @Test
    void agreeingSamplesKeepEqualWeightsUntilTheStepBudgetIsSpent() {
        ForecastState state = new ForecastState(20, H, new RapidUpdateConfig(0.5, 3, 0.05));
        state.reset(forecast(20, (i, h) -> new double[] {0.5 * h, 0}));
        assertTrue(state.effectiveSampleSize() == 20 && !state.needsRerun());
        for (int step = 1; step <= 3; step++) {
            state.observe(0.5 * step, 0);
            assertEquals(20, state.effectiveSampleSize(), 1e-9);
            assertEquals(step == 3, state.needsRerun(), "step " + step);
        }
    }

    @Test
    void anObservationNearOneSampleCollapsesTheWeightsAndAsksForTheModel() {
        ForecastState state = new ForecastState(6, H, new RapidUpdateConfig(0.5, 12, 0.05));
        // Sample i heads at angle i * 60 degrees: 1 m apart after one step of 1 m.
        state.reset(forecast(6, (i, h) -> new double[] {h * Math.cos(Math.toRadians(60 * i)),
                h * Math.sin(Math.toRadians(60 * i))}));
        state.observe(1, 0); // exactly sample 0's first step
        // Scott's bandwidth here is 0.52 m: the neighbours keep weight 0.12 each, ESS = 1.69 of 6.
        assertEquals(1.69, state.effectiveSampleSize(), 0.01);
        assertTrue(state.needsRerun());
        assertTrue(state.weight(0) > 0.5);
    }

    @Test
    void scoreIsTheWeightedKernelDensityAndTheRestOfEachPathFollowsTheObservation() {
        ForecastState state = new ForecastState(4, H, new RapidUpdateConfig(0.0, 12, 0.2));
        double[] offsets = {-0.1, 0.0, 0.1, 0.3};
        state.reset(forecast(4, (i, h) -> new double[] {h, offsets[i] * h}));
        double before = state.logDensity(1, 1.0, 0.05);
        double score = state.observe(1.0, 0.05);
        assertEquals(before, score, 1e-9, "the score is the density of the forecast as it stood");
        // Bandwidth: Scott's rule on 4 equal-weight samples at step 1, floored at 0.2.
        double mean = (-0.1 + 0 + 0.1 + 0.3) / 4;
        double var = 0;
        for (double o : offsets) {
            var += (o - mean) * (o - mean) / 4;
        }
        double sigma = Math.max(Math.sqrt(var / 2) * Math.pow(4, -1.0 / 6), 0.2);
        double expected = 0;
        for (double o : offsets) {
            double d2 = (0.05 - o) * (0.05 - o);
            expected += 0.25 * Math.exp(-0.5 * d2 / (sigma * sigma)) / (2 * Math.PI * sigma * sigma);
        }
        assertEquals(Math.log(expected), score, 1e-6);
        // Sample 3 continues from the observed position with its own heading: at the next step (x=2) it is at
        // 0.05 + 0.3 (its per-step lateral drift).
        assertEquals(2.0, state.position(3, 1, 0), 1e-6);
        assertEquals(0.05 + 0.3, state.position(3, 1, 1), 1e-6);
        assertEquals(11, state.remainingSteps());
    }

    @Test
    void kernelDensityGridIntegratesToOne() {
        ForecastState state = new ForecastState(20, H, RapidUpdateConfig.defaults());
        SplittableRandom random = new SplittableRandom(3);
        double[] lateral = new double[20];
        for (int i = 0; i < 20; i++) {
            lateral[i] = 0.2 * (random.nextDouble() - 0.5);
        }
        state.reset(forecast(20, (i, h) -> new double[] {0.5 * h, lateral[i] * h}));
        int cells = 200;
        double half = 3;
        float[] grid = new float[cells * cells];
        state.densityGrid(4, 2, 0, half, cells, grid);
        double cell = 2 * half / cells;
        double mass = 0;
        for (float logDensity : grid) {
            mass += Math.exp(logDensity) * cell * cell;
        }
        assertEquals(1, mass, 1e-3);
    }

    @Test
    void badPositionsAndExhaustedForecastsChangeNothing() {
        ForecastState state = new ForecastState(5, 2, RapidUpdateConfig.defaults());
        assertTrue(Double.isNaN(state.observe(0, 0)), "an empty state has nothing to score against");
        state.reset(forecast(5, 2, (i, h) -> new double[] {h, 0}));
        assertTrue(Double.isNaN(state.observe(Double.NaN, 0)));
        assertEquals(0, state.elapsed());
        state.observe(1, 0);
        state.observe(2, 0);
        assertTrue(Double.isNaN(state.observe(3, 0)));
        assertTrue(state.needsRerun());
        assertFalse(Double.isNaN(state.effectiveSampleSize()));
    }

    @Test
    void theUpdateAllocatesNothing() {
        ForecastState state = new ForecastState(20, H, new RapidUpdateConfig(0.0, 12, 0.05));
        TrajectoryForecast forecast = forecast(20, (i, h) -> new double[] {0.5 * h, 0.01 * i * h});
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        double sink = 0;
        for (int round = 0; round < 20_000; round++) { // warm up the JIT
            state.reset(forecast);
            sink += state.observe(0.5, 0.01) + state.observe(1.0, 0.02);
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int round = 0; round < 10_000; round++) {
            state.reset(forecast);
            sink += state.observe(0.5, 0.01) + state.observe(1.0, 0.02);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(Double.isFinite(sink));
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes over 20 000 updates");
    }

    interface PathFunction {
        double[] at(int sample, int step);
    }

    static TrajectoryForecast forecast(int n, PathFunction path) {
        return forecast(n, H, path);
    }

    static TrajectoryForecast forecast(int n, int horizons, PathFunction path) {
        float[] paths = new float[n * 2 * horizons];
        for (int i = 0; i < n; i++) {
            for (int h = 1; h <= horizons; h++) {
                double[] p = path.at(i, h);
                paths[i * 2 * horizons + 2 * (h - 1)] = (float) p[0];
                paths[i * 2 * horizons + 2 * (h - 1) + 1] = (float) p[1];
            }
        }
        return new TrajectoryForecast(n, horizons, paths, new float[n * horizons], new float[n],
                java.util.Arrays.copyOf(paths, 2 * horizons), 0);
    }
}
