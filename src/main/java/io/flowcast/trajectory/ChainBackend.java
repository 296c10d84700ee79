package io.flowcast.trajectory;

/**
 * The numeric work of a {@link FlowChainForecaster}, row by row, in the agents' local frames: the forecaster keeps
 * the frames, features, noise and bookkeeping. Two implementations: {@link StepwiseChain} (one {@link StepDensity}
 * per flow, a runtime call per flow and step) and {@link OnnxChainSession} (the whole chain fused into one ONNX graph
 * per task, one runtime call per batch).
 *
 * <p>Widths: f = trend features, k = f + 4 = a step flow's context, H = horizons.
 */
public interface ChainBackend extends AutoCloseable {

    int horizons();

    int featureWidth();

    /**
     * Ancestral sampling of {@code rows} independent rows: {@code trend [rows*f]}, {@code start [rows*4]} (u_-1 then
     * u_0), {@code noise [rows*2H]} standard normal codes, step n on columns 2(n-1), 2(n-1)+1; writes the sampled
     * positions u_1..u_H into {@code positions [rows*2H]} and each step's exact log-density into
     * {@code stepLog [rows*H]}.
     */
    void sample(float[] trend, float[] start, float[] noise, int rows, float[] positions, float[] stepLog);

    /**
     * As {@link #sample} for {@code agents} agents of {@code rowsPerAgent} consecutive rows each, with one trend
     * per agent ({@code agentTrend [agents*f]}): a backend that computes the trend's share once per agent overrides
     * it; by default the trend is repeated per row.
     */
    default void sampleAgents(float[] agentTrend, int agents, int rowsPerAgent, float[] start, float[] noise,
            float[] positions, float[] stepLog) {
        int f = featureWidth();
        float[] rowTrend = new float[agents * rowsPerAgent * f];
        for (int a = 0; a < agents; a++) {
            for (int r = 0; r < rowsPerAgent; r++) {
                System.arraycopy(agentTrend, a * f, rowTrend, (a * rowsPerAgent + r) * f, f);
            }
        }
        sample(rowTrend, start, noise, agents * rowsPerAgent, positions, stepLog);
    }

    /**
     * Exact step log-densities of given steps (teacher forcing): {@code delta [rows*2H]} the modelled residuals,
     * {@code motion [rows*4H]} per step the previous position and displacement (the context's last four values).
     * Returns [rows*H].
     */
    float[] pathLogProb(float[] trend, float[] delta, float[] motion, int rows);

    /**
     * As {@link #pathLogProb}, but only row r's step {@code steps[r]} (1-based) is wanted: returns [rows]. A
     * backend that can evaluate a single step flow overrides it (the exact score of an observed position needs one
     * step per agent, not all H).
     */
    default float[] pathLogProbAt(int[] steps, float[] trend, float[] delta, float[] motion, int rows) {
        float[] all = pathLogProb(trend, delta, motion, rows);
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = all[r * horizons() + steps[r] - 1];
        }
        return out;
    }

    /** Whether the horizons' marginal flows are there (else densities at a horizon come from a mixture). */
    boolean hasMarginals();

    /** Every horizon's marginal flow at its own residual: {@code residual [rows*2H]}, returns [rows*H]. */
    float[] marginalLogProb(float[] trend, float[] residual, int rows);

    /** One horizon's (1-based) marginal flow: {@code residual [rows*2]}, returns [rows]. */
    float[] marginalLogProb(int horizon, float[] trend, float[] residual, int rows);

    /** One step flow (horizon 1-based) at arbitrary contexts {@code [rows*k]}: the mixture without marginals. */
    float[] stepLogProb(int horizon, float[] delta, float[] context, int rows);

    @Override
    void close();
}
