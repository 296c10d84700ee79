package io.flowcast.serving;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * How ONNX Runtime sessions for a flow are tuned.
 *
 * @param intraOpThreads threads one inference may use (0: ONNX Runtime's default, one per physical core)
 * @param maxBatchRows   rows per native call; larger batches are cut into chunks of this size, which bounds the
 *                       per-thread buffers
 */
public record SessionSettings(int intraOpThreads, int maxBatchRows) {

    public static final int DEFAULT_MAX_BATCH_ROWS = 8192;

    public SessionSettings {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0: " + intraOpThreads);
        }
        if (maxBatchRows < 1) {
            throw new IllegalArgumentException("maxBatchRows must be >= 1: " + maxBatchRows);
        }
    }

    public static SessionSettings defaults() {
        return new SessionSettings(0, DEFAULT_MAX_BATCH_ROWS);
    }

    public SessionSettings withIntraOpThreads(int threads) {
        return new SessionSettings(threads, maxBatchRows);
    }

    /**
     * Fresh options: all graph optimisations (constant folding of the parameter-only subgraphs, Gemm and
     * elementwise fusions), memory-pattern planning (the flows' shapes repeat per batch size), sequential execution
     * (the graphs are chains: parallel node scheduling only adds overhead).
     */
    OrtSession.SessionOptions newOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setMemoryPatternOptimization(true);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setCPUArenaAllocator(true);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
