package io.flowcast.bench.ethucy;

import io.flowcast.trajectory.ConstantVelocity;
import io.flowcast.trajectory.ConstantVelocityGaussian;
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

    private final FlowChainForecaster forecaster;
    private final ConstantVelocityGaussian cvGaussian;
    private final int samples;
    private final List<Long> updateNanos;

    SceneEvaluator(FlowChainForecaster forecaster, ConstantVelocityGaussian cvGaussian, List<Long> updateNanos) {
        this.forecaster = forecaster;
        this.cvGaussian = cvGaussian;
        this.samples = forecaster.samples();
        this.updateNanos = updateNanos;
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
        for (List<TrajectoryWindow> frame : frames.values()) {
            int agents = frame.size();
            List<float[]> histories = new ArrayList<>(agents);
            List<float[]> futures = new ArrayList<>(agents);
            for (TrajectoryWindow window : frame) {
                histories.add(window.observed());
                futures.add(window.future());
            }
            long start = System.nanoTime();
            ForecastBatch batch = forecaster.forecast(histories, seed + 1_000_003L * frameIndex);
            TrajectoryForecast[] forecasts = new TrajectoryForecast[agents];
            for (int a = 0; a < agents; a++) {
                forecasts[a] = batch.forecast(a);
            }
            m.forecastNanos += System.nanoTime() - start;
            m.agentsForecast += agents;
            m.frames++;

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

            float[] truthAt = new float[2 * agents];
            for (int h = 1; h <= horizons; h++) {
                for (int a = 0; a < agents; a++) {
                    truthAt[2 * a] = futures.get(a)[2 * h - 2];
                    truthAt[2 * a + 1] = futures.get(a)[2 * h - 1];
                }
                float[] marginal = forecaster.marginalLogDensity(batch, h, truthAt);
                for (int a = 0; a < agents; a++) {
                    m.nll[h - 1] -= marginal[a];
                    if (h == 1) {
                        m.anomalyScoreExact += marginal[a];
                    }
                }
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
        return m;
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
