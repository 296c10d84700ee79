package io.flowcast.serving;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * How ONNX Runtime sessions for a flow are tuned.
 *
 * <p>A flow graph is hundreds of small nodes (444 for d=2, 4 couplings), most of them elementwise over a few
 * thousand values. Handing each node to an intra-op thread pool costs about as much as the node, so every session
 * runs single-threaded, and a large batch is instead cut into row blocks that run concurrently on the same session
 * (ONNX Runtime sessions accept concurrent runs). Measured on 2 cores, (d=2, k=16), batch 4096: one session with
 * two intra-op threads about 300k log-densities/s, the same batch as two row blocks on two callers about 555k/s
 * (medians of six alternating rounds), and a single thread about 315k/s.
 *
 * @param threads           row blocks a batch of at least {@code parallelBatchRows} rows is cut into, each run on
 *                          its own thread (0: one per available processor; 1: the caller's thread only)
 * @param maxBatchRows      rows per native call; larger blocks are cut into chunks of this size, which bounds the
 *                          per-thread buffers
 * @param parallelBatchRows the smallest batch that is split across threads (below it a hand-off costs more than
 *                          it saves)
 */
public record SessionSettings(int threads, int maxBatchRows, int parallelBatchRows) {

    public static final int DEFAULT_MAX_BATCH_ROWS = 8192;
    public static final int DEFAULT_PARALLEL_BATCH_ROWS = 1024;

    public SessionSettings {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0: " + threads);
        }
        if (maxBatchRows < 1) {
            throw new IllegalArgumentException("maxBatchRows must be >= 1: " + maxBatchRows);
        }
        if (parallelBatchRows < 1) {
            throw new IllegalArgumentException("parallelBatchRows must be >= 1: " + parallelBatchRows);
        }
    }

    /** Default tuning with the given thread count and chunk size. */
    public SessionSettings(int threads, int maxBatchRows) {
        this(threads, maxBatchRows, DEFAULT_PARALLEL_BATCH_ROWS);
    }

    public static SessionSettings defaults() {
        return new SessionSettings(0, DEFAULT_MAX_BATCH_ROWS);
    }

    public SessionSettings withThreads(int count) {
        return new SessionSettings(count, maxBatchRows, parallelBatchRows);
    }

    public SessionSettings withParallelBatchRows(int rows) {
        return new SessionSettings(threads, maxBatchRows, rows);
    }

    /** The row blocks a batch of {@code rows} rows is cut into: 1 below {@link #parallelBatchRows}. */
    int blocksFor(int rows) {
        if (rows < parallelBatchRows) {
            return 1;
        }
        int available = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        return Math.max(1, Math.min(available, rows));
    }

    /**
     * Fresh options for a single-threaded session: all graph optimisations (constant folding of the
     * parameter-only subgraphs, elementwise and Gemm fusions), memory-pattern planning (the flows' shapes repeat per
     * batch size), sequential execution (the graphs are chains), no intra-op pool (see the class comment).
     */
    OrtSession.SessionOptions newOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setMemoryPatternOptimization(true);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setCPUArenaAllocator(true);
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
