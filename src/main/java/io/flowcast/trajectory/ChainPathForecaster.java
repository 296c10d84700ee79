package io.flowcast.trajectory;

import io.flowcast.anomaly.ModelRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A trained flow chain behind the topology's {@link PathForecaster}: {@link FlowChainForecaster} over a backend
 * (in service the fused graphs in {@link OnnxChainSession}), one runtime call per batch of agents.
 *
 * <p>What it publishes per agent: the N ancestral samples, the most likely path (the candidate of highest exact joint
 * density), each sample's exact joint log-density, and per horizon the samples' mean and covariance. The forecaster
 * takes one seed per batch, so the batch's seed is mixed from the agents' seeds in order: the same batch gives the
 * same samples (a replay of the same records in the same batches is identical; a different batching draws others).
 *
 * <p>Its forecasts are {@link #reweightable()}: a chain run costs about a millisecond per agent, a re-weighting
 * microseconds. {@link #nextLogDensities} is exact: the chain's step flow at the observed positions (teacher forcing).
 */
public final class ChainPathForecaster implements PathForecaster, AutoCloseable {

    private final ModelRef ref;
    private final ChainLayout layout;
    private final ChainBackend backend;
    private final double stepSeconds;
    /** One forecaster per sample count (cheap wrappers over the shared backend, which is thread-safe). */
    private final ConcurrentMap<Integer, FlowChainForecaster> bySamples = new ConcurrentHashMap<>();

    public ChainPathForecaster(ModelRef ref, ChainLayout layout, ChainBackend backend, double stepSeconds) {
        this.ref = Objects.requireNonNull(ref, "ref");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.backend = Objects.requireNonNull(backend, "backend");
        if (!(stepSeconds > 0)) {
            throw new IllegalArgumentException("stepSeconds must be positive: " + stepSeconds);
        }
        this.stepSeconds = stepSeconds;
        // Checks that the backend fits the layout now rather than at the first forecast.
        forecaster(FlowChainForecaster.DEFAULT_SAMPLES);
    }

    /** Serves an exported chain ({@link ChainModelFiles}) through ONNX Runtime. */
    public static ChainPathForecaster open(ChainModelFiles.Chain chain) throws ai.onnxruntime.OrtException {
        OnnxChainSession session = OnnxChainSession.open(chain.models());
        try {
            return new ChainPathForecaster(chain.model(), chain.layout(), session, chain.stepSeconds());
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private FlowChainForecaster forecaster(int samples) {
        return bySamples.computeIfAbsent(samples, n -> new FlowChainForecaster(layout, backend, n));
    }

    @Override
    public ModelRef model() {
        return ref;
    }

    @Override
    public int observedSteps() {
        return layout.observedSteps();
    }

    @Override
    public int horizons() {
        return layout.futureSteps();
    }

    @Override
    public double stepSeconds() {
        return stepSeconds;
    }

    @Override
    public boolean reweightable() {
        return true;
    }

    @Override
    public List<PathForecast> forecast(List<float[]> histories, long[] seeds, int samples) {
        if (histories.isEmpty()) {
            return List.of();
        }
        ForecastBatch batch = forecaster(samples).forecast(histories, batchSeed(seeds));
        List<PathForecast> out = new ArrayList<>(histories.size());
        int horizons = layout.futureSteps();
        for (int a = 0; a < histories.size(); a++) {
            TrajectoryForecast forecast = batch.forecast(a);
            out.add(new PathForecast(samples, horizons, forecast.paths(), forecast.mostLikely(),
                    means(forecast), covariances(forecast), forecast.jointLogDensity()));
        }
        return out;
    }

    /** SplitMix-style mixing of the agents' seeds, order-sensitive. */
    static long batchSeed(long[] seeds) {
        long h = 0x9E3779B97F4A7C15L;
        for (long seed : seeds) {
            h ^= seed;
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }

    private static double[] means(TrajectoryForecast forecast) {
        int n = forecast.samples();
        int horizons = forecast.horizons();
        double[] means = new double[2 * horizons];
        float[] paths = forecast.paths();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 2 * horizons; c++) {
                means[c] += paths[i * 2 * horizons + c];
            }
        }
        for (int c = 0; c < means.length; c++) {
            means[c] /= n;
        }
        return means;
    }

    /** The samples' covariance per horizon (maximum likelihood, over N). */
    private static double[] covariances(TrajectoryForecast forecast) {
        int n = forecast.samples();
        int horizons = forecast.horizons();
        double[] means = means(forecast);
        double[] out = new double[3 * horizons];
        float[] paths = forecast.paths();
        for (int h = 0; h < horizons; h++) {
            for (int i = 0; i < n; i++) {
                double dx = paths[i * 2 * horizons + 2 * h] - means[2 * h];
                double dy = paths[i * 2 * horizons + 2 * h + 1] - means[2 * h + 1];
                out[3 * h] += dx * dx / n;
                out[3 * h + 1] += dx * dy / n;
                out[3 * h + 2] += dy * dy / n;
            }
        }
        return out;
    }

    /**
     * Teacher forcing through the path graph: the future is the observed positions, continued at constant velocity
     * to the horizon (those steps only pad the graph's input: step k's density depends on steps up to k alone).
     */
    @Override
    public double[] nextLogDensities(List<float[]> histories, List<float[]> since) {
        int horizons = layout.futureSteps();
        double[] out = new double[histories.size()];
        List<float[]> usableHistories = new ArrayList<>();
        List<float[]> futures = new ArrayList<>();
        List<Integer> agents = new ArrayList<>();
        List<Integer> steps = new ArrayList<>();
        for (int a = 0; a < histories.size(); a++) {
            float[] history = histories.get(a);
            float[] observed = since.get(a);
            int k = observed.length / 2;
            out[a] = Double.NaN;
            if (history.length != 2 * layout.observedSteps() || k < 1 || k > horizons
                    || observed.length % 2 != 0) {
                continue;
            }
            float[] future = new float[2 * horizons];
            System.arraycopy(observed, 0, future, 0, 2 * k);
            for (int h = k; h < horizons; h++) {
                for (int c = 0; c < 2; c++) {
                    float last = h >= 1 ? future[2 * (h - 1) + c] : history[history.length - 2 + c];
                    float before = h >= 2 ? future[2 * (h - 2) + c]
                            : history[history.length - 2 * (2 - h) + c];
                    future[2 * h + c] = 2 * last - before;
                }
            }
            usableHistories.add(history);
            futures.add(future);
            agents.add(a);
            steps.add(k);
        }
        if (agents.isEmpty()) {
            return out;
        }
        int[] stepOf = steps.stream().mapToInt(Integer::intValue).toArray();
        float[] logDensities = forecaster(FlowChainForecaster.DEFAULT_SAMPLES)
                .stepLogDensitiesAt(usableHistories, futures, stepOf);
        for (int i = 0; i < agents.size(); i++) {
            double value = logDensities[i];
            out[agents.get(i)] = Double.isFinite(value) ? value : Double.NaN;
        }
        return out;
    }

    @Override
    public void close() {
        backend.close();
    }
}
