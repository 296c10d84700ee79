package io.flowcast.serving;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.flowcast.flow.BaseNoise;
import io.flowcast.flow.ConditionalDensity;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.onnx.FlowArtifact;
import io.flowcast.flow.onnx.FlowManifest;
import io.flowcast.flow.onnx.FlowOnnxExporter;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A flow served by ONNX Runtime: single-threaded sessions for {@code log_prob} and for {@code sample}; a large batch
 * on the CPU is cut into row blocks that run concurrently on the same session (see {@link SessionSettings} for why
 * this beats an intra-op thread pool).
 *
 * <p>Thread-safe: ONNX Runtime sessions accept concurrent runs, and each calling thread owns its direct input and
 * output buffers (sized in powers of two, reused across calls), so the hot path allocates no native memory and
 * copies each value in and out once. Batches larger than {@link SessionSettings#maxBatchRows} run in chunks. Every
 * native tensor and result is closed when its call ends; {@link #close} waits for running calls, and calls after it
 * fail cleanly instead of touching freed native memory. Every session is warmed up before {@link #open} returns.
 */
public final class OnnxFlowSession implements ConditionalDensity, ServedOn, AutoCloseable {

    /** Threads that run the row blocks of large batches; shared by every session, idle ones retire after a minute. */
    private static final ExecutorService ROW_BLOCK_WORKERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "flowcast-onnx-rows");
        thread.setDaemon(true);
        return thread;
    });

    private final OrtEnvironment env;
    private final FlowManifest manifest;
    private final int dimension;
    private final int contextDimension;
    private final int maxBatchRows;
    private final int[] warmUpRows;
    private final BaseNoise noise;
    private final SessionSettings settings;
    private final ProviderSession logProbSession;
    private final ProviderSession sampleSession;
    private final ExecutionProvider provider;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /**
     * Each thread's buffers by shape, shared by every session of that shape: the versions of a stream have one shape,
     * so a hot swap allocates no buffers, and a replaced session leaves none behind (per-session thread-locals held
     * their direct buffers in every scoring thread until the stale entries happened to be purged).
     */
    private static final ThreadLocal<Map<BufferShape, Buffers>> THREAD_BUFFERS = ThreadLocal.withInitial(HashMap::new);

    private final BufferShape bufferShape;
    private boolean closed;

    private OnnxFlowSession(OrtEnvironment env, FlowArtifact artifact, SessionSettings settings,
            ProviderSession logProbSession, ProviderSession sampleSession) {
        this.env = env;
        this.manifest = artifact.manifest();
        FlowConfig config = manifest.config();
        this.dimension = config.dimension();
        this.contextDimension = config.contextDimension();
        this.settings = settings;
        this.maxBatchRows = settings.maxBatchRows();
        // A single row, and the smallest batch that is split across threads (so every worker's buffers exist).
        this.warmUpRows = new int[] {1, Math.min(settings.parallelBatchRows(), settings.maxBatchRows())};
        this.noise = BaseNoise.forModel(config, artifact.parameters());
        this.logProbSession = logProbSession;
        this.sampleSession = sampleSession;
        this.provider = logProbSession.provider();
        this.bufferShape = new BufferShape(dimension, contextDimension, maxBatchRows);
    }

    /** Opens both sessions on the provider the selector picks, then warms them up. */
    public static OnnxFlowSession open(FlowArtifact artifact, SessionSettings settings,
            ExecutionProviderSelector selector) throws OrtException {
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(selector, "selector");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        ProviderSession logProb = ProviderSession.create(env, artifact.logProbModel(), settings, selector);
        ProviderSession sample;
        try {
            sample = ProviderSession.create(env, artifact.sampleModel(), settings, selector);
        } catch (OrtException | RuntimeException e) {
            logProb.close();
            throw e;
        }
        OnnxFlowSession session = new OnnxFlowSession(env, artifact, settings, logProb, sample);
        try {
            session.warmUp();
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    /** Opens with default settings on the CPU. */
    public static OnnxFlowSession openOnCpu(FlowArtifact artifact) throws OrtException {
        return open(artifact, SessionSettings.defaults(), new ExecutionProviderSelector(ProviderChoice.CPU));
    }

    @Override
    public ExecutionProvider providerInUse() {
        return provider;
    }

    public FlowManifest manifest() {
        return manifest;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int contextDimension() {
        return contextDimension;
    }

    @Override
    public float[] logProb(float[] x, float[] c, int batch) {
        float[] out = new float[Math.max(batch, 0)];
        logProb(x, c, batch, out);
        return out;
    }

    /** {@link #logProb(float[], float[], int)} into a caller-owned array: no allocation per call. */
    public void logProb(float[] x, float[] c, int batch, float[] out) {
        checkBatch(x, c, batch);
        Objects.requireNonNull(out, "out");
        if (out.length < batch) {
            throw new IllegalArgumentException("out holds " + out.length + " values, batch is " + batch);
        }
        withOpenSession(() -> forEachChunk(batch, (own, from, rows) -> {
            Map<String, OnnxTensor> inputs = inputs(own, x, c, from, rows, FlowOnnxExporter.INPUT_X);
            try {
                FloatBuffer result = own.logProb.rows(rows);
                run(logProbSession.session(), inputs, FlowOnnxExporter.OUTPUT_LOG_PROB, result, new long[] {rows});
                result.get(out, from, rows);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }));
    }

    /**
     * The codes z = forward(x) [batch, d]: where each record lands in the base distribution, per feature (large
     * |z| marks the features that make a record unlikely).
     */
    public float[] codes(float[] x, float[] c, int batch) {
        checkBatch(x, c, batch);
        float[] out = new float[batch * dimension];
        withOpenSession(() -> forEachChunk(batch, (own, from, rows) -> {
            Map<String, OnnxTensor> inputs = inputs(own, x, c, from, rows, FlowOnnxExporter.INPUT_X);
            try {
                FloatBuffer result = own.sample.rows(rows);
                run(logProbSession.session(), inputs, FlowOnnxExporter.OUTPUT_CODES, result,
                        new long[] {rows, dimension});
                result.get(out, from * dimension, rows * dimension);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }));
        return out;
    }

    /** Draws base noise from the model's base distribution (seeded) and runs the inverse pass. */
    @Override
    public float[] sample(float[] c, int batch, int n, long seed) {
        if (batch < 0 || n < 0) {
            throw new IllegalArgumentException("batch and n must be non-negative: " + batch + ", " + n);
        }
        checkContext(c, batch);
        int rows = Math.multiplyExact(batch, n);
        float[] repeated = null;
        if (contextDimension > 0) {
            repeated = new float[Math.multiplyExact(rows, contextDimension)];
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < n; j++) {
                    System.arraycopy(c, i * contextDimension, repeated, (i * n + j) * contextDimension,
                            contextDimension);
                }
            }
        }
        return sampleFromNoise(repeated, noise.draw(rows, seed), rows);
    }

    /**
     * Exact in one dimension, with one inverse pass: a continuous bijection of the line is strictly monotone, a
     * monotone map carries a median to the median, and both bases (normal, Student-t) have median 0, so
     * x = f^-1(0; c) is the conditional median. In more dimensions the coupling layers mix the features and the image
     * of z = 0 is neither the per-feature medians nor the mode: those are left to samples.
     */
    @Override
    public Optional<float[]> exactMedians(float[] c, int batch) {
        if (dimension != 1) {
            return Optional.empty();
        }
        checkContext(c, batch);
        return Optional.of(sampleFromNoise(contextDimension > 0 ? c : null, new float[batch], batch));
    }

    /** The inverse pass on caller-supplied base noise [rows, d] with contexts [rows, k]: x [rows, d]. */
    public float[] sampleFromNoise(float[] c, float[] baseNoise, int rows) {
        checkBatch(baseNoise, c, rows);
        float[] out = new float[rows * dimension];
        withOpenSession(() -> forEachChunk(rows, (own, from, chunk) -> {
            Map<String, OnnxTensor> inputs = inputs(own, baseNoise, c, from, chunk, FlowOnnxExporter.INPUT_NOISE);
            try {
                FloatBuffer result = own.sample.rows(chunk);
                run(sampleSession.session(), inputs, FlowOnnxExporter.OUTPUT_SAMPLE, result,
                        new long[] {chunk, dimension});
                result.get(out, from * dimension, chunk * dimension);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }));
        return out;
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            logProbSession.close();
            sampleSession.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void warmUp() {
        for (int rows : warmUpRows) {
            float[] x = new float[rows * dimension];
            float[] c = new float[rows * contextDimension];
            float[] xMean = manifest.scaler().xMean();
            float[] cMean = manifest.scaler().cMean();
            for (int i = 0; i < rows; i++) {
                System.arraycopy(xMean, 0, x, i * dimension, dimension);
                System.arraycopy(cMean, 0, c, i * contextDimension, contextDimension);
            }
            logProb(x, c, rows);
            sampleFromNoise(c, new float[rows * dimension], rows);
        }
    }

    /** Work on rows [from, from + rows) of one call, with the executing thread's buffers. */
    @FunctionalInterface
    private interface Chunk {
        void run(Buffers own, int from, int rows);
    }

    /**
     * Runs {@code chunk} over rows [0, total): as row blocks in parallel when the batch is large and the session runs
     * on the CPU (the caller takes the first block), each block in chunks of at most {@code maxBatchRows} rows.
     * Returns only when every block has finished, so the caller's arrays and the session stay valid throughout.
     */
    private void forEachChunk(int total, Chunk chunk) {
        int blocks = provider == ExecutionProvider.CPU ? settings.blocksFor(total) : 1;
        int perBlock = blocks == 1 ? total : (total + blocks - 1) / blocks;
        List<Future<?>> others = new ArrayList<>(blocks - 1);
        for (int from = perBlock; from < total; from += perBlock) {
            int start = from;
            int rows = Math.min(perBlock, total - from);
            others.add(ROW_BLOCK_WORKERS.submit(() -> runBlock(chunk, start, rows)));
        }
        RuntimeException failure = null;
        try {
            runBlock(chunk, 0, Math.min(perBlock, total));
        } catch (RuntimeException e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> other : others) {
            while (true) {
                try {
                    other.get();
                    break;
                } catch (InterruptedException e) {
                    // The workers write into the caller's arrays: wait for them before giving the arrays back.
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException runtime ? runtime
                                : new FlowServingException("a row block failed: " + e.getCause(), e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void runBlock(Chunk chunk, int from, int rows) {
        Buffers own = THREAD_BUFFERS.get().computeIfAbsent(bufferShape, Buffers::new);
        for (int start = from; start < from + rows; start += maxBatchRows) {
            chunk.run(own, start, Math.min(maxBatchRows, from + rows - start));
        }
    }

    /** Runs with the output written straight into {@code target} (a pinned output: no result copy). */
    private void run(OrtSession session, Map<String, OnnxTensor> inputs, String outputName, FloatBuffer target,
            long[] outputShape) {
        try (OnnxTensor output = OnnxTensor.createTensor(env, target, outputShape);
                OrtSession.Result result = session.run(inputs, Map.of(outputName, output))) {
            target.rewind();
        } catch (OrtException e) {
            throw new FlowServingException("ONNX Runtime failed on model " + manifest.modelName() + " "
                    + manifest.modelVersion() + ": " + e.getMessage(), e);
        }
    }

    /** The input tensors over this thread's buffers; closes what it made if a later one fails. */
    private Map<String, OnnxTensor> inputs(Buffers own, float[] rowsOfD, float[] c, int from, int rows,
            String rowsName) {
        Map<String, OnnxTensor> inputs = new HashMap<>(4);
        try {
            inputs.put(rowsName, tensor(own.x.filled(rowsOfD, from, rows), rows, dimension));
            if (contextDimension > 0) {
                inputs.put(FlowOnnxExporter.INPUT_CONTEXT, tensor(own.c.filled(c, from, rows), rows, contextDimension));
            }
            return inputs;
        } catch (RuntimeException e) {
            inputs.values().forEach(OnnxTensor::close);
            throw e;
        }
    }

    private OnnxTensor tensor(FloatBuffer data, int rows, int width) {
        try {
            return OnnxTensor.createTensor(env, data, new long[] {rows, width});
        } catch (OrtException e) {
            throw new FlowServingException("cannot create an input tensor: " + e.getMessage(), e);
        }
    }

    private void withOpenSession(Runnable body) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("flow session " + manifest.modelName() + " "
                        + manifest.modelVersion() + " is closed");
            }
            body.run();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private void checkBatch(float[] x, float[] c, int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be non-negative: " + batch);
        }
        Objects.requireNonNull(x, "x");
        if (x.length != (long) batch * dimension) {
            throw new IllegalArgumentException("expected " + (long) batch * dimension + " values of x (batch "
                    + batch + " x d " + dimension + "), got " + x.length);
        }
        checkContext(c, batch);
    }

    private void checkContext(float[] c, int batch) {
        if (contextDimension == 0) {
            if (c != null && c.length != 0) {
                throw new IllegalArgumentException("the model has no context, got " + c.length + " context values");
            }
            return;
        }
        Objects.requireNonNull(c, "c");
        if (c.length != (long) batch * contextDimension) {
            throw new IllegalArgumentException("expected " + (long) batch * contextDimension
                    + " context values (batch " + batch + " x k " + contextDimension + "), got " + c.length);
        }
    }

    /** The size of a thread's buffers: a model's d and k, and the rows per native call. */
    private record BufferShape(int dimension, int contextDimension, int maxRows) {
    }

    /** One thread's buffers: inputs (x or noise, c) and outputs (log_prob, sample). */
    private static final class Buffers {
        final RowBuffers x;
        final RowBuffers c;
        final RowBuffers logProb;
        final RowBuffers sample;

        Buffers(BufferShape shape) {
            this(shape.dimension(), shape.contextDimension(), shape.maxRows());
        }

        Buffers(int dimension, int contextDimension, int maxRows) {
            x = new RowBuffers(dimension, maxRows);
            c = new RowBuffers(Math.max(contextDimension, 1), maxRows);
            logProb = new RowBuffers(1, maxRows);
            sample = new RowBuffers(dimension, maxRows);
        }
    }
}
