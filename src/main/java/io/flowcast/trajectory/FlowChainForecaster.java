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
    private final ChainBackend chain;
    private final int samples;
    private final BaseNoise noise = BaseNoise.gaussian(2);
    private final CodeSampler codeSampler;

    /**
     * A forecaster over one {@link StepDensity} per flow ({@link StepwiseChain}).
     *
     * @param steps     the path flows, one per step
     * @param marginals the marginal flows, one per horizon, or an empty list: then densities at a horizon are the
     *                  mixture of the path flow's exact step density over the sampled previous steps
     */
    public FlowChainForecaster(ChainLayout layout, List<StepDensity> steps, List<StepDensity> marginals,
            int samples) {
        this(layout, new StepwiseChain(layout, steps, marginals), samples);
    }

    /** A forecaster over any backend, e.g. the fused chain {@link OnnxChainSession}. */
    public FlowChainForecaster(ChainLayout layout, ChainBackend chain, int samples) {
        this(layout, chain, samples, CodeSampler.IID);
    }

    /** A forecaster over any backend that draws its samples' base codes with {@code codeSampler}. */
    public FlowChainForecaster(ChainLayout layout, ChainBackend chain, int samples, CodeSampler codeSampler) {
        this.codeSampler = Objects.requireNonNull(codeSampler, "codeSampler");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.chain = Objects.requireNonNull(chain, "chain");
        if (chain.horizons() != layout.futureSteps() || chain.featureWidth() != layout.featureWidth()) {
            throw new IllegalArgumentException("the chain has " + chain.horizons() + " horizons and "
                    + chain.featureWidth() + " trend features, the layout " + layout.futureSteps() + " and "
                    + layout.featureWidth());
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

    public CodeSampler codeSampler() {
        return codeSampler;
    }

    /** The numeric backend the forecasts run on (benchmarks time its calls alone). */
    public ChainBackend backend() {
        return chain;
    }

    /** Forecasts every agent of the batch ({@code histories}: observed positions, x, y interleaved, oldest first). */
    public ForecastBatch forecast(List<float[]> histories, long seed) {
        int agents = histories.size();
        int horizons = layout.futureSteps();
        int f = layout.featureWidth();
        int perAgent = samples + 1;
        int rows = agents * perAgent;
        int stride = 2 * (horizons + 2);
        float[] trend = new float[agents * f];
        CanonicalFrame[] frames = new CanonicalFrame[agents];
        float[] start = new float[rows * 4];
        HistoryFeatures features = layout.newFeatures();
        for (int a = 0; a < agents; a++) {
            float[] observed = histories.get(a);
            frames[a] = layout.frameOf(observed);
            features.extract(observed, frames[a], trend, a * f);
            int before = observed.length - 4;
            float ux = (float) frames[a].localX(observed[before], observed[before + 1]);
            float uy = (float) frames[a].localY(observed[before], observed[before + 1]);
            for (int r = 0; r < perAgent; r++) {
                int row = a * perAgent + r;
                start[4 * row] = ux;
                start[4 * row + 1] = uy;
            }
        }
        float[] codes = new float[rows * 2 * horizons];
        for (int h = 0; h < horizons; h++) {
            float[] z = noise.draw(rows, seed + 7919L * h);
            codeSampler.apply(z, agents, perAgent, samples);
            for (int row = 0; row < rows; row++) {
                boolean modeRow = row % perAgent == samples;
                codes[row * 2 * horizons + 2 * h] = modeRow ? 0 : z[2 * row];
                codes[row * 2 * horizons + 2 * h + 1] = modeRow ? 0 : z[2 * row + 1];
            }
        }
        codeSampler.applyAcrossSteps(codes, agents, perAgent, samples, horizons);
        float[] positions = new float[rows * 2 * horizons];
        float[] stepLog = new float[rows * horizons];
        chain.sampleAgents(trend, agents, perAgent, start, codes, positions, stepLog);
        toMetres(stepLog, frames, perAgent * horizons);
        float[] local = new float[rows * stride];
        for (int row = 0; row < rows; row++) {
            System.arraycopy(start, 4 * row, local, row * stride, 4);
            System.arraycopy(positions, row * 2 * horizons, local, row * stride + 4, 2 * horizons);
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

    /** The smallest grid half-width, metres: a near-certain forecast still gets a readable window. */
    public static final double MIN_GRID_HALF_WIDTH = 0.5;
    /** Grid half-width in multiples of the samples' RMS spread around their mean. */
    public static final double GRID_SPREAD_FACTOR = 3.0;

    /**
     * Every agent's density grid at every horizon, from one marginal-density evaluation over all agents, cells and
     * horizons: horizon n's grid is centred on the mean of the agent's samples at n, with a half-width of
     * {@link #GRID_SPREAD_FACTOR} times their RMS distance to it (at least {@link #MIN_GRID_HALF_WIDTH}).
     */
    public DensityGrid[] densityGrids(ForecastBatch batch, int cells) {
        if (cells < 1) {
            throw new IllegalArgumentException("cells must be >= 1: " + cells);
        }
        int agents = batch.agents;
        int horizons = batch.horizons;
        int perGrid = cells * cells;
        float[][] centreX = new float[agents][horizons];
        float[][] centreY = new float[agents][horizons];
        float[][] half = new float[agents][horizons];
        int[] agentOf = new int[agents * perGrid];
        float[] points = new float[agents * perGrid * 2 * horizons];
        for (int a = 0; a < agents; a++) {
            TrajectoryForecast forecast = batch.forecast(a);
            float[] paths = forecast.paths();
            for (int h = 0; h < horizons; h++) {
                double mx = 0;
                double my = 0;
                for (int i = 0; i < batch.samples; i++) {
                    mx += paths[i * 2 * horizons + 2 * h];
                    my += paths[i * 2 * horizons + 2 * h + 1];
                }
                mx /= batch.samples;
                my /= batch.samples;
                double spread = 0;
                for (int i = 0; i < batch.samples; i++) {
                    double dx = paths[i * 2 * horizons + 2 * h] - mx;
                    double dy = paths[i * 2 * horizons + 2 * h + 1] - my;
                    spread += dx * dx + dy * dy;
                }
                centreX[a][h] = (float) mx;
                centreY[a][h] = (float) my;
                half[a][h] = (float) Math.max(MIN_GRID_HALF_WIDTH,
                        GRID_SPREAD_FACTOR * Math.sqrt(spread / batch.samples));
            }
            for (int iy = 0; iy < cells; iy++) {
                for (int ix = 0; ix < cells; ix++) {
                    int q = a * perGrid + iy * cells + ix;
                    agentOf[q] = a;
                    for (int h = 0; h < horizons; h++) {
                        double cell = 2.0 * half[a][h] / cells;
                        points[q * 2 * horizons + 2 * h] = (float) (centreX[a][h] - half[a][h] + (ix + 0.5) * cell);
                        points[q * 2 * horizons + 2 * h + 1] =
                                (float) (centreY[a][h] - half[a][h] + (iy + 0.5) * cell);
                    }
                }
            }
        }
        float[] logDensity = marginalAllHorizons(batch, agentOf, points, agentOf.length);
        DensityGrid[] grids = new DensityGrid[agents];
        for (int a = 0; a < agents; a++) {
            float[] own = new float[horizons * perGrid];
            for (int c = 0; c < perGrid; c++) {
                for (int h = 0; h < horizons; h++) {
                    own[h * perGrid + c] = logDensity[(a * perGrid + c) * horizons + h];
                }
            }
            grids[a] = new DensityGrid(horizons, cells, centreX[a], centreY[a], half[a], own);
        }
        return grids;
    }

    /**
     * log p(position at horizon n | history) for one world point per agent and horizon ({@code worldXY}:
     * [agents * 2H], agent-major, horizon n at 2(n-1)); returns [agents * H]. With marginal flows this is one
     * evaluation of all horizons.
     */
    public float[] marginalLogDensities(ForecastBatch batch, float[] worldXY) {
        int[] agentOf = new int[batch.agents];
        for (int a = 0; a < agentOf.length; a++) {
            agentOf[a] = a;
        }
        return marginalAllHorizons(batch, agentOf, worldXY, batch.agents);
    }

    /** Query q belongs to agent agentOf[q] and has one world point per horizon; returns [count * H]. */
    private float[] marginalAllHorizons(ForecastBatch batch, int[] agentOf, float[] worldXY, int count) {
        int horizons = batch.horizons;
        if (worldXY.length != count * 2 * horizons) {
            throw new IllegalArgumentException("need " + count * 2 * horizons + " coordinates, got " + worldXY.length);
        }
        float[] out = new float[count * horizons];
        if (!chain.hasMarginals()) {
            float[] single = new float[2 * count];
            for (int h = 1; h <= horizons; h++) {
                for (int q = 0; q < count; q++) {
                    single[2 * q] = worldXY[q * 2 * horizons + 2 * (h - 1)];
                    single[2 * q + 1] = worldXY[q * 2 * horizons + 2 * (h - 1) + 1];
                }
                float[] logProb = mixture(batch, agentOf, h, single, count);
                for (int q = 0; q < count; q++) {
                    out[q * horizons + h - 1] = logProb[q];
                }
            }
            return out;
        }
        int f = batch.featureWidth;
        float[] residual = new float[count * 2 * horizons];
        float[] context = new float[count * f];
        for (int q = 0; q < count; q++) {
            int a = agentOf[q];
            CanonicalFrame frame = batch.frames[a];
            int base = a * batch.rowsPerAgent() * batch.stride();
            for (int h = 1; h <= horizons; h++) {
                int at = q * 2 * horizons + 2 * (h - 1);
                double ux = frame.localX(worldXY[at], worldXY[at + 1]);
                double uy = frame.localY(worldXY[at], worldXY[at + 1]);
                residual[at] = (float) ChainLayout.marginalResidual(ux, batch.local[base], h);
                residual[at + 1] = (float) ChainLayout.marginalResidual(uy, batch.local[base + 1], h);
            }
            System.arraycopy(batch.trend, a * f, context, q * f, f);
        }
        return toMetres(chain.marginalLogProb(context, residual, count), batch.frames, agentOf, horizons);
    }

    /**
     * The exact per-step conditional log-densities of given futures (teacher forcing): [agents * H]; their sum per
     * agent is the exact joint log-density of the whole future path.
     */
    public float[] stepLogDensities(List<float[]> histories, List<float[]> futures) {
        PathInputs in = pathInputs(histories, futures);
        int horizons = layout.futureSteps();
        float[] logProb = chain.pathLogProb(in.trend, in.delta, in.motion, in.offsets.length);
        for (int a = 0; a < in.offsets.length; a++) {
            for (int h = 0; h < horizons; h++) {
                logProb[a * horizons + h] += (float) in.offsets[a];
            }
        }
        return logProb;
    }

    /**
     * As {@link #stepLogDensities}, but only agent a's step {@code steps[a]} (1-based): [agents]. The value is the
     * one {@link #stepLogDensities} gives at that step; a backend that evaluates one step flow at a time
     * ({@link ChainBackend#pathLogProbAt}) spares the other H - 1.
     */
    public float[] stepLogDensitiesAt(List<float[]> histories, List<float[]> futures, int[] steps) {
        if (steps.length != histories.size()) {
            throw new IllegalArgumentException(steps.length + " steps for " + histories.size() + " agents");
        }
        PathInputs in = pathInputs(histories, futures);
        float[] logProb = chain.pathLogProbAt(steps, in.trend, in.delta, in.motion, steps.length);
        for (int a = 0; a < steps.length; a++) {
            logProb[a] += (float) in.offsets[a];
        }
        return logProb;
    }

    /** The path graph's inputs for given futures, and each agent's frame's log-density offset to metres. */
    private record PathInputs(float[] trend, float[] delta, float[] motion, double[] offsets) {
    }

    private PathInputs pathInputs(List<float[]> histories, List<float[]> futures) {
        int agents = histories.size();
        int horizons = layout.futureSteps();
        int f = layout.featureWidth();
        float[] trend = new float[agents * f];
        double[] local = new double[2 * (horizons + 2)];
        float[] delta = new float[agents * 2 * horizons];
        float[] motion = new float[agents * 4 * horizons];
        HistoryFeatures features = layout.newFeatures();
        CanonicalFrame frame = new CanonicalFrame();
        double[] frames = new double[agents];
        float[] own = new float[f];
        for (int a = 0; a < agents; a++) {
            TrajectoryWindow window = new TrajectoryWindow("query", a, 0, histories.get(a), futures.get(a));
            ChainTrainingSet.localPath(window, layout.speedScale(), frame, features, own, local);
            frames[a] = frame.logDensityOffset();
            System.arraycopy(own, 0, trend, a * f, f);
            for (int h = 0; h < horizons; h++) {
                int cur = 2 * (h + 2);
                int d = a * 2 * horizons + 2 * h;
                delta[d] = (float) (local[cur] - 2 * local[cur - 2] + local[cur - 4]);
                delta[d + 1] = (float) (local[cur + 1] - 2 * local[cur - 1] + local[cur - 3]);
                int m = a * 4 * horizons + 4 * h;
                motion[m] = (float) local[cur - 2];
                motion[m + 1] = (float) local[cur - 1];
                motion[m + 2] = (float) (local[cur - 2] - local[cur - 4]);
                motion[m + 3] = (float) (local[cur - 1] - local[cur - 3]);
            }
        }
        return new PathInputs(trend, delta, motion, frames);
    }

    /** Local log-densities of consecutive blocks of {@code perAgent} values, agent a's block in its frame, to metres. */
    private static void toMetres(float[] logProb, CanonicalFrame[] frames, int perAgent) {
        for (int a = 0; a < frames.length; a++) {
            float offset = (float) frames[a].logDensityOffset();
            if (offset != 0) {
                for (int i = a * perAgent; i < (a + 1) * perAgent; i++) {
                    logProb[i] += offset;
                }
            }
        }
    }

    /** Query q's {@code perQuery} local log-densities, in agent agentOf[q]'s frame, to metres. */
    private static float[] toMetres(float[] logProb, CanonicalFrame[] frames, int[] agentOf, int perQuery) {
        for (int q = 0; q < agentOf.length && q * perQuery < logProb.length; q++) {
            float offset = (float) frames[agentOf[q]].logDensityOffset();
            for (int i = q * perQuery; i < (q + 1) * perQuery; i++) {
                logProb[i] += offset;
            }
        }
        return logProb;
    }

    private float[] marginal(ForecastBatch batch, int[] agentOf, int horizon, float[] worldXY, int count) {
        if (horizon < 1 || horizon > batch.horizons) {
            throw new IllegalArgumentException("horizon must be in 1.." + batch.horizons + ": " + horizon);
        }
        return chain.hasMarginals() ? exactMarginal(batch, agentOf, horizon, worldXY, count)
                : mixture(batch, agentOf, horizon, worldXY, count);
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
        return toMetres(chain.marginalLogProb(horizon, context, residual, count), batch.frames, agentOf, 1);
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
        float[] logProb = chain.stepLogProb(horizon, delta, context, rows);
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
            out[q] = (float) (max + Math.log(sum / n) + batch.frames[agentOf[q]].logDensityOffset());
        }
        return out;
    }

    @Override
    public void close() {
        chain.close();
    }
}
