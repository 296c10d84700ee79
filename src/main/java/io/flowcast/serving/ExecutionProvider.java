package io.flowcast.serving;

/** The ONNX Runtime execution provider a session actually runs on. */
public enum ExecutionProvider {
    CPU,
    CUDA
}
