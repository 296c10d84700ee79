package io.flowcast.bench.ethucy;

import io.flowcast.trajectory.ConstantVelocity;
import io.flowcast.trajectory.ConstantVelocityGaussian;
import io.flowcast.trajectory.DensityGrid;
import io.flowcast.trajectory.DisplacementErrors;
import io.flowcast.trajectory.FlowChainForecaster;
import io.flowcast.trajectory.ForecastBatch;
import io.flowcast.trajectory.ForecastState;
import io.flowcast.trajectory.RapidUpdateConfig;
import io.flowcast.trajectory.TrajectoryForecast;
import io.flowcast.trajectory.TrajectoryWindow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the baselines and the served chain over one test set, frame by frame (all agents of a recording's time step
 * form one batch, as the topology would see them), and measures the rapid update on the first future position.
 */
final class SceneEvaluator {

    /** Every this many frames, the per-step path is timed on the frame too. */
    static final int SIDE_TIMING_EVERY = 5;
    /** Every this many frames, the density grids of all the frame's agents are computed and timed. */
    static final int GRID_EVERY = 50;
    /** Cells per side of each horizon's density grid (the dashboard's). */
    static final int GRID_CELLS = 32;
    /** The pooled timing: consecutive frames' agents batched until at least this many. */
    static final int POOLED_AGENTS = 256;

    private final FlowChainForecaster forecaster;
    private final FlowChainForecaster stepwise;
    private final ConstantVelocityGaussian cvGaussian;
    private final int samples;
    private final List<Long> updateNanos;
    private final int maxFrames;
    private final boolean sideTimings;

    /**
     * @param forecaster the served chain (the fused graph): every figure comes from it
     * @param stepwise   the same chain as one session per flow, timed beside it on some frames
     * @param maxFrames  test frames evaluated (the first ones), for quick runs
     */
    SceneEvaluator(FlowChainForecaster forecaster, FlowChainForecaster stepwise, ConstantVelocityGaussian cvGaussian,
            List<Long> updateNanos, int maxFrames) {
        this(forecaster, stepwise, cvGaussian, updateNanos, maxFrames, true);
    }

    /** @param sideTimings whether to time the per-step path, the density grids and pooled batches beside it */
    SceneEvaluator(FlowChainForecaster forecaster, FlowChainForecaster stepwise, ConstantVelocityGaussian cvGaussian,
            List<Long> updateNanos, int maxFrames, boolean sideTimings) {
        this.sideTimings = sideTimings;
        this.forecaster = forecaster;
        this.stepwise = stepwise;
        this.cvGaussian = cvGaussian;
        this.samples = forecaster.samples();
        this.updateNanos = updateNanos;
        this.maxFrames = maxFrames;
    }

    SceneMetrics evaluate(List<TrajectoryWindow> test, double scale, long seed) {
        int horizons = forecaster.layout().futureSteps();
        SceneMetrics m = new SceneMetrics(horizons, scale);
        Map<String, List<TrajectoryWindow>> frames = new LinkedHashMap<>();
        for (TrajectoryWindow window : test) {
            TrajectoryWindow scaled = scale == 1.0 ? window : window.scaled((float) scale);
            frames.computeIfAbsent(window.source() + "#" + window.time(), k -> new ArrayList<>()).add(scaled);
        }
        List<ForecastState> states = new ArrayList<>();
        long frameIndex = 0;
        List<List<float[]>> allHistories = new ArrayList<>();
        for (List<TrajectoryWindow> frame : frames.values()) {
            if (frameIndex >= maxFrames) {
                break;
            }
            int agents = frame.size();
            List<float[]> histories = new ArrayList<>(agents);
            List<float[]> futures = new ArrayList<>(agents);
            for (TrajectoryWindow window : frame) {
                histories.add(window.observed());
                futures.add(window.future());
            }
            allHistories.add(histories);
            long frameSeed = seed + 1_000_003L * frameIndex;
            boolean side = sideTimings && frameIndex % SIDE_TIMING_EVERY == 0;
            if (side) {
                // Both paths timed warm: each right after an untimed run of itself (else the one that runs second
                // finds the caches full of the other's weights and buffers).
                stepwise.forecast(histories, frameSeed);
                timeForecast(stepwise, histories, frameSeed, m.stepwise);
                forecaster.forecast(histories, frameSeed);
            }
            Stopwatch watch = new Stopwatch();
            ForecastBatch batch = forecaster.forecast(histories, frameSeed);
            TrajectoryForecast[] forecasts = new TrajectoryForecast[agents];
            for (int a = 0; a < agents; a++) {
                forecasts[a] = batch.forecast(a);
            }
            m.forecast.add(watch, agents);
            m.frames++;
            if (side) {
                m.pairedFused.add(watch, agents);
            }
            if (sideTimings && frameIndex % GRID_EVERY == 0) {
                Stopwatch gridWatch = new Stopwatch();
                DensityGrid[] grids = forecaster.densityGrids(batch, GRID_CELLS);
                m.grid.add(gridWatch, grids.length);
            }

            for (int a = 0; a < agents; a++) {
                float[] observed = histories.get(a);
                float[] truth = futures.get(a);
                DisplacementErrors.BestOfN best = DisplacementErrors.bestOf(forecasts[a].paths(), samples, truth);
                m.ade20 += best.minAde();
                m.fde20 += best.minFde();
                m.jointAde20 += best.jointAde();
                m.jointFde20 += best.jointFde();
                m.adeMl += DisplacementErrors.ade(forecasts[a].mostLikely(), truth);
                m.fdeMl += DisplacementErrors.fde(forecasts[a].mostLikely(), truth);
                float[] cv = ConstantVelocity.predict(observed, horizons);
                m.cvAde += DisplacementErrors.ade(cv, truth);
                m.cvFde += DisplacementErrors.fde(cv, truth);
                float[] noisy = ConstantVelocity.sampleWithAngleNoise(observed, horizons, samples,
                        ConstantVelocity.DEFAULT_ANGLE_SIGMA, seed ^ (frameIndex * 31 + a));
                DisplacementErrors.BestOfN cvBest = DisplacementErrors.bestOf(noisy, samples, truth);
                m.cvAde20 += cvBest.minAde();
                m.cvFde20 += cvBest.minFde();
                for (int h = 1; h <= horizons; h++) {
                    m.cvGaussianNll[h - 1] -= cvGaussian.logDensity(observed, h, truth[2 * h - 2], truth[2 * h - 1]);
                }
                m.windows++;
            }

            float[] truth = new float[agents * 2 * horizons];
            for (int a = 0; a < agents; a++) {
                System.arraycopy(futures.get(a), 0, truth, a * 2 * horizons, 2 * horizons);
            }
            float[] marginal = forecaster.marginalLogDensities(batch, truth);
            for (int a = 0; a < agents; a++) {
                for (int h = 1; h <= horizons; h++) {
                    m.nll[h - 1] -= marginal[a * horizons + h - 1];
                }
                m.anomalyScoreExact += marginal[a * horizons];
            }
            float[] conditional = forecaster.stepLogDensities(histories, futures);
            for (int a = 0; a < agents; a++) {
                for (int h = 0; h < horizons; h++) {
                    m.conditionalNll[h] -= conditional[a * horizons + h];
                }
            }

            rapidUpdate(m, frame, forecasts, states, horizons);
            frameIndex++;
        }
        if (sideTimings) {
            timePooled(m, allHistories, seed);
        }
        return m;
    }

    /** One forecast of a frame (the forecasts read out as in the timed path), in nanoseconds. */
    private static void timeForecast(FlowChainForecaster forecaster, List<float[]> histories, long seed,
            SceneMetrics.Timing timing) {
        Stopwatch watch = new Stopwatch();
        ForecastBatch batch = forecaster.forecast(histories, seed);
        for (int a = 0; a < histories.size(); a++) {
            batch.forecast(a);
        }
        timing.add(watch, histories.size());
    }

    /** The fused forecast over consecutive frames' agents pooled into batches of at least POOLED_AGENTS. */
    private void timePooled(SceneMetrics m, List<List<float[]>> frames, long seed) {
        List<float[]> pool = new ArrayList<>();
        long batchIndex = 0;
        for (int i = 0; i < frames.size(); i++) {
            pool.addAll(frames.get(i));
            if (pool.size() >= POOLED_AGENTS || i == frames.size() - 1) {
                timeForecast(forecaster, pool, seed + 7_000_003L * batchIndex++, m.pooled);
                pool = new ArrayList<>();
            }
        }
    }

    /** Loads each agent's state, then times the update with its first future position, agent by agent. */
    private void rapidUpdate(SceneMetrics m, List<TrajectoryWindow> frame, TrajectoryForecast[] forecasts,
            List<ForecastState> states, int horizons) {
        while (states.size() < frame.size()) {
            states.add(new ForecastState(samples, horizons, RapidUpdateConfig.defaults()));
        }
        for (int a = 0; a < frame.size(); a++) {
            states.get(a).reset(forecasts[a]);
        }
        for (int a = 0; a < frame.size(); a++) {
            float[] truth = frame.get(a).future();
            ForecastState state = states.get(a);
            long start = System.nanoTime();
            double score = state.observe(truth[0], truth[1]);
            updateNanos.add(System.nanoTime() - start);
            m.anomalyScoreKernel += score;
            double stale = 0;
            double updated = 0;
            float[] ml = forecasts[a].mostLikely();
            for (int h = 2; h <= horizons; h++) {
                double tx = truth[2 * h - 2];
                double ty = truth[2 * h - 1];
                stale += Math.hypot(ml[2 * h - 2] - tx, ml[2 * h - 1] - ty);
                updated += Math.hypot(state.mostLikely(h - 1, 0) - tx, state.mostLikely(h - 1, 1) - ty);
            }
            m.staleAdeAfterUpdate += stale / (horizons - 1);
            m.updatedAdeAfterUpdate += updated / (horizons - 1);
        }
    }
}
