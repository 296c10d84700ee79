package io.flowcast.flow.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.flowcast.flow.BaseNoise;
import io.flowcast.flow.ConditionalDensity;
import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import java.util.Map;

/**
 * A trained flow evaluated with DJL, without gradients: the reference the ONNX graphs are compared against.
 * Thread-safe (each call works in its own NDManager). Close it to free the native parameter memory.
 */
public final class TrainedFlow implements ConditionalDensity, AutoCloseable {

    private final ConditionalFlow flow;
    private final FlowParameters parameters;
    private final NDManager manager;
    private final Map<String, NDArray> arrays;
    private final BaseNoise noise;

    public TrainedFlow(FlowConfig config, FlowParameters parameters) {
        this.flow = new ConditionalFlow(config);
        parameters.checkMatches(flow.parameters());
        this.parameters = parameters;
        this.manager = NDManager.newBaseManager();
        this.arrays = DjlParameters.toArrays(manager, parameters, DataType.FLOAT32, false);
        this.noise = BaseNoise.forModel(config, parameters);
    }

    public FlowConfig config() {
        return flow.config();
    }

    public ConditionalFlow flow() {
        return flow;
    }

    public FlowParameters parameters() {
        return parameters;
    }

    @Override
    public int dimension() {
        return flow.config().dimension();
    }

    @Override
    public int contextDimension() {
        return flow.config().contextDimension();
    }

    @Override
    public float[] logProb(float[] x, float[] c, int batch) {
        checkBatch(x, c, batch);
        if (batch == 0) {
            return new float[0];
        }
        try (NDManager step = manager.newSubManager()) {
            DjlOps ops = new DjlOps(step, arrays);
            NDArray xs = step.create(x, new Shape(batch, dimension()));
            return flow.logProb(ops, xs, context(step, c, batch)).toFloatArray();
        }
    }

    /** Codes z [batch * d] for a batch (the forward pass without the base density). */
    public float[] encode(float[] x, float[] c, int batch) {
        checkBatch(x, c, batch);
        if (batch == 0) {
            return new float[0];
        }
        try (NDManager step = manager.newSubManager()) {
            DjlOps ops = new DjlOps(step, arrays);
            NDArray xs = step.create(x, new Shape(batch, dimension()));
            return flow.forward(ops, xs, context(step, c, batch)).z().toFloatArray();
        }
    }

    /** The inverse pass x = f^-1(z; c) for a batch of codes. */
    public float[] decode(float[] z, float[] c, int batch) {
        checkBatch(z, c, batch);
        if (batch == 0) {
            return new float[0];
        }
        try (NDManager step = manager.newSubManager()) {
            DjlOps ops = new DjlOps(step, arrays);
            NDArray zs = step.create(z, new Shape(batch, dimension()));
            return flow.inverse(ops, zs, context(step, c, batch)).toFloatArray();
        }
    }

    @Override
    public float[] sample(float[] c, int batch, int n, long seed) {
        if (batch < 0 || n < 0) {
            throw new IllegalArgumentException("batch and n must be non-negative");
        }
        int k = contextDimension();
        if (c == null ? k * batch != 0 : c.length != (long) batch * k) {
            throw new IllegalArgumentException("expected " + (long) batch * k + " context values");
        }
        int rows = Math.multiplyExact(batch, n);
        float[] repeated = new float[Math.multiplyExact(rows, k)];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(c, b * k, repeated, (b * n + i) * k, k);
            }
        }
        return decode(noise.draw(rows, seed), repeated, rows);
    }

    private NDArray context(NDManager step, float[] c, int batch) {
        int k = contextDimension();
        return k == 0 ? null : step.create(c, new Shape(batch, k));
    }

    private void checkBatch(float[] x, float[] c, int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be non-negative: " + batch);
        }
        if (x == null || x.length != (long) batch * dimension()) {
            throw new IllegalArgumentException("expected " + (long) batch * dimension() + " values of x");
        }
        int k = contextDimension();
        if (k > 0 && (c == null || c.length != (long) batch * k)) {
            throw new IllegalArgumentException("expected " + (long) batch * k + " context values");
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
