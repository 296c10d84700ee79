package io.flowcast.flow.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Gradient recording on the calling thread only. PyTorch's grad mode is per thread, but DJL's
 * {@code GradientCollector} allows one collector per JVM (a static flag), which would serialise independent
 * trainings (several models retrained at once, parallel tests). This does what the collector does, per thread.
 */
final class ThreadAutograd {

    private ThreadAutograd() {
    }

    /** Computes the scalar loss with gradients recorded and back-propagates it into the parameters' gradients. */
    static NDArray lossAndGradients(NDManager scratch, Supplier<NDArray> lossFunction) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            NDArray loss = lossFunction.get();
            NDArray seed = scratch.ones(loss.getShape(), loss.getDataType());
            JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
            return loss;
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /** Evaluates without recording a graph. */
    static <R> R withoutGradients(Supplier<R> computation) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return computation.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }
}
