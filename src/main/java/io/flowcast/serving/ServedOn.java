package io.flowcast.serving;

/**
 * A density evaluated by ONNX Runtime, which says on which execution provider it really runs (what the metrics and
 * the API report). Wrappers of a session implement it by delegating; densities without it run on the JVM.
 */
public interface ServedOn {

    ExecutionProvider providerInUse();
}
