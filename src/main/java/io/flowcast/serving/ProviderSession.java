package io.flowcast.serving;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * One ONNX Runtime session and the execution provider it actually runs on. Creating it tries the provider the
 * selector picks; when that is CUDA and the selector allows a fall-back, a failure retries on the CPU.
 */
record ProviderSession(OrtSession session, ExecutionProvider provider) implements AutoCloseable {

    static ProviderSession create(OrtEnvironment env, byte[] model, SessionSettings settings,
            ExecutionProviderSelector selector) throws OrtException {
        try (OrtSession.SessionOptions options = settings.newOptions()) {
            ExecutionProvider provider = selector.configure(options);
            try {
                return new ProviderSession(env.createSession(model, options), provider);
            } catch (OrtException e) {
                if (provider != ExecutionProvider.CUDA || !selector.fallBackAfter(e)) {
                    throw e;
                }
            }
        }
        try (OrtSession.SessionOptions options = settings.newOptions()) {
            return new ProviderSession(env.createSession(model, options), selector.configure(options));
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // Closing releases native memory; a failure here leaves nothing the caller could act on.
        }
    }
}
