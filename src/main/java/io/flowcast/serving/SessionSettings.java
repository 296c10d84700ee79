package io.flowcast.serving;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * How ONNX Runtime sessions for a flow are tuned.
 *
 * <p>A flow graph is hundreds of small nodes, so how threads meet per node decides throughput. Batches of at least
 * {@code parallelBatchRows} rows run on a session with {@code intraOpThreads} threads; smaller batches run on a
 * second, single-threaded session of the same model, where handing each node to a thread pool would cost more than
 * the node (measured on 2 cores: batch 16 runs twice as fast single-threaded, batch 4096 1.5 times faster on two).
 *
 * @param intraOpThreads    threads one large inference may use (0: ONNX Runtime's default, one per physical core;
 *                          1: a single session, no pool)
 * @param maxBatchRows      rows per native call; larger batches are cut into chunks of this size, which bounds the
 *                          per-thread buffers
 * @param allowSpinning     whether idle pool threads busy-wait for the next node. Off by default: on a machine
 *                          shared with other work (Kafka Streams threads, other services) spinning threads steal the
 *                          cores the next node needs; measured on 2 shared cores, turning it off doubled throughput
 *                          at batch 4096
 * @param parallelBatchRows the smallest batch that goes to the multi-threaded session
 */
public record SessionSettings(int intraOpThreads, int maxBatchRows, boolean allowSpinning, int parallelBatchRows) {

    public static final int DEFAULT_MAX_BATCH_ROWS = 8192;
    public static final int DEFAULT_PARALLEL_BATCH_ROWS = 1024;

    public SessionSettings {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0: " + intraOpThreads);
        }
        if (maxBatchRows < 1) {
            throw new IllegalArgumentException("maxBatchRows must be >= 1: " + maxBatchRows);
        }
        if (parallelBatchRows < 1) {
            throw new IllegalArgumentException("parallelBatchRows must be >= 1: " + parallelBatchRows);
        }
    }

    /** Default tuning with the given thread count and chunk size. */
    public SessionSettings(int intraOpThreads, int maxBatchRows) {
        this(intraOpThreads, maxBatchRows, false, DEFAULT_PARALLEL_BATCH_ROWS);
    }

    public static SessionSettings defaults() {
        return new SessionSettings(0, DEFAULT_MAX_BATCH_ROWS);
    }

    public SessionSettings withIntraOpThreads(int threads) {
        return new SessionSettings(threads, maxBatchRows, allowSpinning, parallelBatchRows);
    }

    public SessionSettings withSpinning(boolean spinning) {
        return new SessionSettings(intraOpThreads, maxBatchRows, spinning, parallelBatchRows);
    }

    public SessionSettings withParallelBatchRows(int rows) {
        return new SessionSettings(intraOpThreads, maxBatchRows, allowSpinning, rows);
    }

    /** Whether a second, multi-threaded session serves the large batches. */
    boolean multiThreaded() {
        return intraOpThreads != 1;
    }

    /**
     * Fresh options for {@code threads} intra-op threads (0: the runtime's default): all graph optimisations
     * (constant folding of the parameter-only subgraphs, elementwise and Gemm fusions), memory-pattern planning
     * (the flows' shapes repeat per batch size), sequential execution (the graphs are chains).
     */
    OrtSession.SessionOptions newOptions(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setMemoryPatternOptimization(true);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setCPUArenaAllocator(true);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            options.addConfigEntry("session.intra_op.allow_spinning", allowSpinning ? "1" : "0");
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
