package io.flowcast.trajectory;

import io.flowcast.flow.BaseNoise;
import java.util.List;
import java.util.Objects;

/**
 * Forecasts with a chain of step flows: ancestral sampling through the chain (step n's flow conditioned on the
 * trend and the sampled previous steps), exact per-step log-densities of every sample, the most likely path among
 * the samples and the zero-code path, and density queries at any horizon.
 *
 * <p>Density of a point at horizon n, p(u_n | history): exact from the horizon's marginal flow. Without marginal
 * flows, the mean over the batch's N ancestral samples of the path flow's exact step density (a Monte Carlo
 * estimate, exact only for n = 1). The path density {@link #stepLogDensities} is exact at every step.
 */
public final class FlowChainForecaster implements AutoCloseable {

    public static final int DEFAULT_SAMPLES = 20;

    private final ChainLayout layout;
    private final List<StepDensity> steps;
    private final List<StepDensity> marginals;
    private final int samples;
    private final BaseNoise noise = BaseNoise.gaussian(2);

    /**
     * @param steps     the path flows, one per step
     * @param marginals the marginal flows, one per horizon, or an empty list: then densities at a horizon are the
     *                  mixture of the path flow's exact step density over the sampled previous steps
     */
    public FlowChainForecaster(ChainLayout layout, List<StepDensity> steps, List<StepDensity> marginals,
            int samples) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.steps = List.copyOf(steps);
        this.marginals = List.copyOf(marginals);
        if (!this.marginals.isEmpty() && this.marginals.size() != layout.futureSteps()) {
            throw new IllegalArgumentException("need " + layout.futureSteps() + " marginal flows or none");
        }
        for (StepDensity marginal : this.marginals) {
            if (marginal.contextDimension() != layout.featureWidth()) {
                throw new IllegalArgumentException("a marginal flow has context width " + marginal.contextDimension()
                        + ", the layout needs " + layout.featureWidth());
            }
        }
        if (this.steps.size() != layout.futureSteps()) {
            throw new IllegalArgumentException("need " + layout.futureSteps() + " step flows, got " + steps.size());
        }
        for (StepDensity step : this.steps) {
            if (step.contextDimension() != layout.contextWidth()) {
                throw new IllegalArgumentException("a step flow has context width " + step.contextDimension()
                        + ", the layout needs " + layout.contextWidth());
            }
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1");
        }
        this.samples = samples;
    }

    public ChainLayout layout() {
        return layout;
    }

    public int samples() {
        return samples;
    }

    /** Forecasts every agent of the batch ({@code histories}: observed positions, x, y interleaved, oldest first). */
    public ForecastBatch forecast(List<float[]> histories, long seed) {
        int agents = histories.size();
        int horizons = layout.futureSteps();
        int f = layout.featureWidth();
        int k = layout.contextWidth();
        int perAgent = samples + 1;
        int rows = agents * perAgent;
        int stride = 2 * (horizons + 2);
        float[] trend = new float[agents * f];
        CanonicalFrame[] frames = new CanonicalFrame[agents];
        float[] local = new float[rows * stride];
        HistoryFeatures features = layout.newFeatures();
        for (int a = 0; a < agents; a++) {
            float[] observed = histories.get(a);
            frames[a] = CanonicalFrame.of(observed);
            features.extract(observed, frames[a], trend, a * f);
            int before = observed.length - 4;
            float ux = (float) frames[a].localX(observed[before], observed[before + 1]);
            float uy = (float) frames[a].localY(observed[before], observed[before + 1]);
            for (int r = 0; r < perAgent; r++) {
                int base = (a * perAgent + r) * stride;
                local[base] = ux;
                local[base + 1] = uy;
            }
        }
        float[] context = new float[rows * k];
        float[] stepLog = new float[rows * horizons];
        float[] logProb = new float[rows];
        for (int h = 0; h < horizons; h++) {
            for (int row = 0; row < rows; row++) {
                int base = row * stride + 2 * h; // u_{h-1} at base, u_h at base + 2
                ChainLayout.writeContext(trend, (row / perAgent) * f, f, local[base + 2], local[base + 3],
                        local[base], local[base + 1], context, row * k);
            }
            float[] z = noise.draw(rows, seed + 7919L * h);
            for (int a = 0; a < agents; a++) {
                int modeRow = a * perAgent + samples;
                z[2 * modeRow] = 0;
                z[2 * modeRow + 1] = 0;
            }
            StepDensity step = steps.get(h);
            float[] delta = step.decode(z, context, rows);
            step.logProb(delta, context, rows, logProb);
            for (int row = 0; row < rows; row++) {
                int base = row * stride + 2 * h;
                local[base + 4] = delta[2 * row] + 2 * local[base + 2] - local[base];
                local[base + 5] = delta[2 * row + 1] + 2 * local[base + 3] - local[base + 1];
                stepLog[row * horizons + h] = logProb[row];
            }
        }
        return new ForecastBatch(agents, samples, horizons, f, trend, frames, local, stepLog);
    }

    /**
     * log p(position at {@code horizon} (1-based) = the given world point | history) for {@code count} query points
     * of one agent: the mixture of the exact step density over the batch's samples of the previous steps.
     */
    public float[] marginalLogDensity(ForecastBatch batch, int agent, int horizon, float[] worldXY, int count) {
        int[] agentOf = new int[count];
        java.util.Arrays.fill(agentOf, agent);
        return marginal(batch, agentOf, horizon, worldXY, count);
    }

    /** As {@link #marginalLogDensity} with one query point per agent of the batch ({@code 2 * agents} values). */
    public float[] marginalLogDensity(ForecastBatch batch, int horizon, float[] worldXY) {
        int[] agentOf = new int[batch.agents];
        for (int a = 0; a < agentOf.length; a++) {
            agentOf[a] = a;
        }
        return marginal(batch, agentOf, horizon, worldXY, batch.agents);
    }

    /**
     * Log-density grid of one agent at a horizon: {@code cells x cells} cell centres over the square of half-width
     * {@code halfWidth} around (cx, cy), row-major with y rows and x columns.
     */
    public float[] densityGrid(ForecastBatch batch, int agent, int horizon, double cx, double cy, double halfWidth,
            int cells) {
        float[] points = new float[2 * cells * cells];
        double cell = 2 * halfWidth / cells;
        for (int iy = 0; iy < cells; iy++) {
            for (int ix = 0; ix < cells; ix++) {
                points[2 * (iy * cells + ix)] = (float) (cx - halfWidth + (ix + 0.5) * cell);
                points[2 * (iy * cells + ix) + 1] = (float) (cy - halfWidth + (iy + 0.5) * cell);
            }
        }
        return marginalLogDensity(batch, agent, horizon, points, cells * cells);
    }

    /**
     * The exact per-step conditional log-densities of given futures (teacher forcing): [agents * H]; their sum per
     * agent is the exact joint log-density of the whole future path.
     */
    public float[] stepLogDensities(List<float[]> histories, List<float[]> futures) {
        int agents = histories.size();
        int horizons = layout.futureSteps();
        int f = layout.featureWidth();
        int k = layout.contextWidth();
        float[] trend = new float[f];
        double[] local = new double[2 * (horizons + 2)];
        float[][] x = new float[horizons][2 * agents];
        float[][] c = new float[horizons][k * agents];
        HistoryFeatures features = layout.newFeatures();
        CanonicalFrame frame = new CanonicalFrame();
        for (int a = 0; a < agents; a++) {
            TrajectoryWindow window = new TrajectoryWindow("query", a, 0, histories.get(a), futures.get(a));
            ChainTrainingSet.localPath(window, frame, features, trend, local);
            for (int h = 0; h < horizons; h++) {
                int cur = 2 * (h + 2);
                x[h][2 * a] = (float) (local[cur] - 2 * local[cur - 2] + local[cur - 4]);
                x[h][2 * a + 1] = (float) (local[cur + 1] - 2 * local[cur - 1] + local[cur - 3]);
                ChainLayout.writeContext(trend, 0, f, local[cur - 2], local[cur - 1], local[cur - 4], local[cur - 3],
                        c[h], k * a);
            }
        }
        float[] out = new float[agents * horizons];
        float[] logProb = new float[agents];
        for (int h = 0; h < horizons; h++) {
            steps.get(h).logProb(x[h], c[h], agents, logProb);
            for (int a = 0; a < agents; a++) {
                out[a * horizons + h] = logProb[a];
            }
        }
        return out;
    }

    private float[] marginal(ForecastBatch batch, int[] agentOf, int horizon, float[] worldXY, int count) {
        if (horizon < 1 || horizon > batch.horizons) {
            throw new IllegalArgumentException("horizon must be in 1.." + batch.horizons + ": " + horizon);
        }
        return marginals.isEmpty() ? mixture(batch, agentOf, horizon, worldXY, count)
                : exactMarginal(batch, agentOf, horizon, worldXY, count);
    }

    /** The horizon's marginal flow: exact. */
    private float[] exactMarginal(ForecastBatch batch, int[] agentOf, int horizon, float[] worldXY, int count) {
        int f = batch.featureWidth;
        float[] residual = new float[2 * count];
        float[] context = new float[count * f];
        for (int q = 0; q < count; q++) {
            int a = agentOf[q];
            CanonicalFrame frame = batch.frames[a];
            int base = a * batch.rowsPerAgent() * batch.stride(); // u_{-1} of the agent's first row
            double ux = frame.localX(worldXY[2 * q], worldXY[2 * q + 1]);
            double uy = frame.localY(worldXY[2 * q], worldXY[2 * q + 1]);
            residual[2 * q] = (float) ChainLayout.marginalResidual(ux, batch.local[base], horizon);
            residual[2 * q + 1] = (float) ChainLayout.marginalResidual(uy, batch.local[base + 1], horizon);
            System.arraycopy(batch.trend, a * f, context, q * f, f);
        }
        float[] out = new float[count];
        marginals.get(horizon - 1).logProb(residual, context, count, out);
        return out;
    }

    /** Mixture of the path flow's exact step density over the batch's samples of the previous steps. */
    private float[] mixture(ForecastBatch batch, int[] agentOf, int horizon, float[] worldXY, int count) {
        int f = batch.featureWidth;
        int k = layout.contextWidth();
        int n = batch.samples;
        int perAgent = batch.rowsPerAgent();
        int stride = batch.stride();
        int rows = count * n;
        float[] delta = new float[2 * rows];
        float[] context = new float[rows * k];
        for (int q = 0; q < count; q++) {
            int a = agentOf[q];
            CanonicalFrame frame = batch.frames[a];
            double ux = frame.localX(worldXY[2 * q], worldXY[2 * q + 1]);
            double uy = frame.localY(worldXY[2 * q], worldXY[2 * q + 1]);
            for (int i = 0; i < n; i++) {
                int base = (a * perAgent + i) * stride + 2 * (horizon - 1); // u_{n-2} at base, u_{n-1} at base + 2
                int row = q * n + i;
                float prevX = batch.local[base + 2];
                float prevY = batch.local[base + 3];
                delta[2 * row] = (float) (ux - 2 * prevX + batch.local[base]);
                delta[2 * row + 1] = (float) (uy - 2 * prevY + batch.local[base + 1]);
                ChainLayout.writeContext(batch.trend, a * f, f, prevX, prevY, batch.local[base],
                        batch.local[base + 1], context, row * k);
            }
        }
        float[] logProb = new float[rows];
        steps.get(horizon - 1).logProb(delta, context, rows, logProb);
        float[] out = new float[count];
        for (int q = 0; q < count; q++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, logProb[q * n + i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.exp(logProb[q * n + i] - max);
            }
            out[q] = (float) (max + Math.log(sum / n));
        }
        return out;
    }

    @Override
    public void close() {
        steps.forEach(StepDensity::close);
        marginals.forEach(StepDensity::close);
    }
}
