package io.flowcast.trajectory;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.flowcast.serving.FlowServingException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fused chain ({@link ChainGraphs}) served by ONNX Runtime on the CPU: a batch's forecast, teacher-forced path
 * densities or marginal densities are one runtime call each, whatever the number of horizons.
 *
 * <p>Sessions are single-threaded (as {@code serving.SessionSettings} explains, a flow graph's nodes are too small
 * for an intra-op pool) and accept concurrent calls.
 */
public final class OnnxChainSession implements ChainBackend {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final int horizons;
    private final int featureWidth;
    /** Whether the forecast graph takes one trend per agent and each row's agent ({@link SamplingGraph}). */
    private final boolean forecastPerAgent;
    private final OrtSession forecast;
    private final OrtSession path;
    private final OrtSession marginal;
    /** Step n's share of the path graph at n - 1 ({@link StepScoreGraphs}); empty if the path graph has another form. */
    private final List<OrtSession> stepPaths;

    private OnnxChainSession(ChainGraphs.Models models, OrtSession forecast, OrtSession path, OrtSession marginal,
            List<OrtSession> stepPaths) {
        this.horizons = models.horizons();
        this.featureWidth = models.featureWidth();
        this.forecastPerAgent = models.forecastPerAgent();
        this.forecast = forecast;
        this.path = path;
        this.marginal = marginal;
        this.stepPaths = List.copyOf(stepPaths);
    }

    /** Opens the three graphs' sessions and runs each once (so the first real call is not the slow one). */
    public static OnnxChainSession open(ChainGraphs.Models models) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession forecast = null;
        OrtSession path = null;
        OrtSession marginal = null;
        List<OrtSession> stepPaths = new ArrayList<>();
        try (OrtSession.SessionOptions options = options()) {
            forecast = env.createSession(models.forecast(), options);
            path = env.createSession(models.path(), options);
            marginal = env.createSession(models.marginal(), options);
            for (byte[] step : StepScoreGraphs.cut(models.path(), models.horizons()).orElse(List.of())) {
                stepPaths.add(env.createSession(step, options));
            }
            OnnxChainSession session = new OnnxChainSession(models, forecast, path, marginal, stepPaths);
            session.warmUp();
            return session;
        } catch (OrtException | RuntimeException e) {
            closeQuietly(forecast);
            closeQuietly(path);
            closeQuietly(marginal);
            stepPaths.forEach(OnnxChainSession::closeQuietly);
            throw e;
        }
    }

    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setMemoryPatternOptimization(true);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setCPUArenaAllocator(true);
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        return options;
    }

    private void warmUp() {
        int h2 = 2 * horizons;
        sample(new float[featureWidth], new float[4], new float[h2], 1, new float[h2], new float[horizons]);
        pathLogProb(new float[featureWidth], new float[h2], new float[4 * horizons], 1);
        marginalLogProb(new float[featureWidth], new float[h2], 1);
        for (int step = 1; step <= stepPaths.size(); step++) {
            pathLogProbAt(new int[] {step}, new float[featureWidth], new float[h2], new float[4 * horizons], 1);
        }
    }

    @Override
    public int horizons() {
        return horizons;
    }

    @Override
    public int featureWidth() {
        return featureWidth;
    }

    @Override
    public void sample(float[] trend, float[] start, float[] noise, int rows, float[] positions, float[] stepLog) {
        if (forecastPerAgent) {
            sampleAgents(trend, rows, 1, start, noise, positions, stepLog);
            return;
        }
        Map<String, float[]> inputs = new LinkedHashMap<>();
        inputs.put(ChainGraphs.INPUT_TREND, trend);
        inputs.put(ChainGraphs.INPUT_START, start);
        inputs.put(ChainGraphs.INPUT_NOISE, noise);
        run(forecast, inputs, new int[] {featureWidth, 4, 2 * horizons}, rows,
                new String[] {ChainGraphs.OUTPUT_POSITIONS, ChainGraphs.OUTPUT_STEP_LOG_PROB},
                new float[][] {positions, stepLog});
    }

    @Override
    public void sampleAgents(float[] agentTrend, int agents, int rowsPerAgent, float[] start, float[] noise,
            float[] positions, float[] stepLog) {
        if (!forecastPerAgent) {
            ChainBackend.super.sampleAgents(agentTrend, agents, rowsPerAgent, start, noise, positions, stepLog);
            return;
        }
        int rows = agents * rowsPerAgent;
        if (rows < 1) {
            return;
        }
        long[] agentOfRow = new long[rows];
        for (int row = 0; row < rows; row++) {
            agentOfRow[row] = row / rowsPerAgent;
        }
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            tensors.put(ChainGraphs.INPUT_TREND, floats(ChainGraphs.INPUT_TREND, agentTrend, agents, featureWidth));
            tensors.put(SamplingGraph.INPUT_AGENT,
                    OnnxTensor.createTensor(env, LongBuffer.wrap(agentOfRow), new long[] {rows}));
            tensors.put(ChainGraphs.INPUT_START, floats(ChainGraphs.INPUT_START, start, rows, 4));
            tensors.put(ChainGraphs.INPUT_NOISE, floats(ChainGraphs.INPUT_NOISE, noise, rows, 2 * horizons));
            readOut(forecast, tensors, new String[] {ChainGraphs.OUTPUT_POSITIONS, ChainGraphs.OUTPUT_STEP_LOG_PROB},
                    new float[][] {positions, stepLog});
        } catch (OrtException e) {
            throw new FlowServingException("ONNX Runtime failed on the fused chain: " + e.getMessage(), e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor floats(String name, float[] values, int rows, int width) throws OrtException {
        if (values.length < rows * width) {
            throw new IllegalArgumentException(name + " needs " + rows * width + " values, got " + values.length);
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(values, 0, rows * width), new long[] {rows, width});
    }

    @Override
    public float[] pathLogProb(float[] trend, float[] delta, float[] motion, int rows) {
        Map<String, float[]> inputs = new LinkedHashMap<>();
        inputs.put(ChainGraphs.INPUT_TREND, trend);
        inputs.put(ChainGraphs.INPUT_DELTA, delta);
        inputs.put(ChainGraphs.INPUT_MOTION, motion);
        float[] out = new float[rows * horizons];
        run(path, inputs, new int[] {featureWidth, 2 * horizons, 4 * horizons}, rows,
                new String[] {ChainGraphs.OUTPUT_STEP_LOG_PROB}, new float[][] {out});
        return out;
    }

    /** Each step through its own cut of the path graph: one runtime call per distinct step among the rows. */
    @Override
    public float[] pathLogProbAt(int[] steps, float[] trend, float[] delta, float[] motion, int rows) {
        for (int r = 0; r < rows; r++) {
            if (steps[r] < 1 || steps[r] > horizons) {
                throw new IllegalArgumentException("step must be in 1.." + horizons + ": " + steps[r]);
            }
        }
        if (stepPaths.isEmpty()) {
            return ChainBackend.super.pathLogProbAt(steps, trend, delta, motion, rows);
        }
        float[] out = new float[rows];
        int h2 = 2 * horizons;
        int h4 = 4 * horizons;
        for (int step = 1; step <= horizons; step++) {
            int count = 0;
            for (int r = 0; r < rows; r++) {
                count += steps[r] == step ? 1 : 0;
            }
            if (count == 0) {
                continue;
            }
            int[] picked = new int[count];
            float[] pickedTrend = new float[count * featureWidth];
            float[] pickedDelta = new float[count * h2];
            float[] pickedMotion = new float[count * h4];
            for (int r = 0, i = 0; r < rows; r++) {
                if (steps[r] == step) {
                    System.arraycopy(trend, r * featureWidth, pickedTrend, i * featureWidth, featureWidth);
                    System.arraycopy(delta, r * h2, pickedDelta, i * h2, h2);
                    System.arraycopy(motion, r * h4, pickedMotion, i * h4, h4);
                    picked[i++] = r;
                }
            }
            Map<String, float[]> inputs = new LinkedHashMap<>();
            inputs.put(ChainGraphs.INPUT_TREND, pickedTrend);
            inputs.put(ChainGraphs.INPUT_DELTA, pickedDelta);
            inputs.put(ChainGraphs.INPUT_MOTION, pickedMotion);
            float[] values = new float[count];
            run(stepPaths.get(step - 1), inputs, new int[] {featureWidth, h2, h4}, count,
                    new String[] {ChainGraphs.OUTPUT_STEP_LOG_PROB}, new float[][] {values});
            for (int i = 0; i < count; i++) {
                out[picked[i]] = values[i];
            }
        }
        return out;
    }

    @Override
    public boolean hasMarginals() {
        return true;
    }

    @Override
    public float[] marginalLogProb(float[] trend, float[] residual, int rows) {
        Map<String, float[]> inputs = new LinkedHashMap<>();
        inputs.put(ChainGraphs.INPUT_TREND, trend);
        inputs.put(ChainGraphs.INPUT_RESIDUAL, residual);
        float[] out = new float[rows * horizons];
        run(marginal, inputs, new int[] {featureWidth, 2 * horizons}, rows,
                new String[] {ChainGraphs.OUTPUT_LOG_PROB}, new float[][] {out});
        return out;
    }

    /** One horizon through the all-horizon graph: the other horizons see a zero residual and are dropped. */
    @Override
    public float[] marginalLogProb(int horizon, float[] trend, float[] residual, int rows) {
        float[] all = new float[rows * 2 * horizons];
        for (int row = 0; row < rows; row++) {
            all[row * 2 * horizons + 2 * (horizon - 1)] = residual[2 * row];
            all[row * 2 * horizons + 2 * (horizon - 1) + 1] = residual[2 * row + 1];
        }
        float[] logProb = marginalLogProb(trend, all, rows);
        float[] out = new float[rows];
        for (int row = 0; row < rows; row++) {
            out[row] = logProb[row * horizons + horizon - 1];
        }
        return out;
    }

    /** Never needed: the fused chain always has its marginal flows, so no density comes from the mixture. */
    @Override
    public float[] stepLogProb(int horizon, float[] delta, float[] context, int rows) {
        throw new UnsupportedOperationException("the fused chain answers horizon densities with its marginal flows");
    }

    private void run(OrtSession session, Map<String, float[]> inputs, int[] widths, int rows, String[] outputNames,
            float[][] targets) {
        if (rows < 1) {
            return;
        }
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            int i = 0;
            for (Map.Entry<String, float[]> input : inputs.entrySet()) {
                tensors.put(input.getKey(), floats(input.getKey(), input.getValue(), rows, widths[i++]));
            }
            readOut(session, tensors, outputNames, targets);
        } catch (OrtException e) {
            throw new FlowServingException("ONNX Runtime failed on the fused chain: " + e.getMessage(), e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private static void readOut(OrtSession session, Map<String, OnnxTensor> tensors, String[] outputNames,
            float[][] targets) throws OrtException {
        try (OrtSession.Result result = session.run(tensors)) {
            for (int o = 0; o < outputNames.length; o++) {
                OnnxTensor output = (OnnxTensor) result.get(outputNames[o])
                        .orElseThrow(() -> new IllegalStateException("the chain graph has no output"));
                output.getFloatBuffer().get(targets[o], 0, (int) output.getInfo().getNumElements());
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(forecast);
        closeQuietly(path);
        closeQuietly(marginal);
        stepPaths.forEach(OnnxChainSession::closeQuietly);
    }

    private static void closeQuietly(OrtSession session) {
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (OrtException e) {
            // Closing releases native memory; a failure leaves nothing to recover.
        }
    }
}
