package io.flowcast.serving;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * One model held twice: a single-threaded session for small batches and a multi-threaded one for batches of at
 * least {@link SessionSettings#parallelBatchRows} rows (see {@link SessionSettings} for why). With one intra-op
 * thread configured there is only the first.
 */
final class TieredSession implements AutoCloseable {

    private final OrtSession small;
    private final OrtSession large;
    private final int parallelBatchRows;
    private final ExecutionProvider provider;

    private TieredSession(OrtSession small, OrtSession large, int parallelBatchRows, ExecutionProvider provider) {
        this.small = small;
        this.large = large;
        this.parallelBatchRows = parallelBatchRows;
        this.provider = provider;
    }

    static TieredSession create(OrtEnvironment env, byte[] model, SessionSettings settings,
            ExecutionProviderSelector selector) throws OrtException {
        ProviderSession small = createSession(env, model, settings, 1, selector);
        if (!settings.multiThreaded()) {
            return new TieredSession(small.session(), null, Integer.MAX_VALUE, small.provider());
        }
        try {
            ProviderSession large = createSession(env, model, settings, settings.intraOpThreads(), selector);
            return new TieredSession(small.session(), large.session(), settings.parallelBatchRows(),
                    large.provider());
        } catch (OrtException | RuntimeException e) {
            small.session().close();
            throw e;
        }
    }

    OrtSession forRows(int rows) {
        return rows >= parallelBatchRows ? large : small;
    }

    ExecutionProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        closeQuietly(small);
        if (large != null) {
            closeQuietly(large);
        }
    }

    private static ProviderSession createSession(OrtEnvironment env, byte[] model, SessionSettings settings,
            int threads, ExecutionProviderSelector selector) throws OrtException {
        try (OrtSession.SessionOptions options = settings.newOptions(threads)) {
            ExecutionProvider provider = selector.configure(options);
            try {
                return new ProviderSession(env.createSession(model, options), provider);
            } catch (OrtException e) {
                if (provider != ExecutionProvider.CUDA || !selector.fallBackAfter(e)) {
                    throw e;
                }
            }
        }
        try (OrtSession.SessionOptions options = settings.newOptions(threads)) {
            return new ProviderSession(env.createSession(model, options), selector.configure(options));
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // Closing releases native memory; a failure here leaves nothing the caller could act on.
        }
    }

    private record ProviderSession(OrtSession session, ExecutionProvider provider) {
    }
}
