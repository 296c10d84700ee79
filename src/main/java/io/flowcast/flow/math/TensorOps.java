package io.flowcast.flow.math;

import java.util.List;

/**
 * The small set of tensor operations the flow math needs. The flow is written once against this interface and
 * evaluated by two backends: DJL NDArrays for training (gradients by autodiff) and an ONNX graph builder for
 * serving (each call emits a node). One description of the math is what keeps training and serving equal.
 *
 * <p>All tensors are float32. Shapes are given as {@code long[]}; the first axis is the batch and is dynamic
 * ({@code -1} where a shape is written out). Binary operations broadcast numpy-style. Axes may be negative.
 * Masks are float tensors holding exactly 0 or 1.
 *
 * @param <T> the backend's tensor handle
 */
public interface TensorOps<T> {

    /** A trainable or exported parameter, by name; its shape and initial value are declared by the model. */
    T parameter(String name);

    /** A constant tensor (row-major values). */
    T constant(float[] values, long... shape);

    /** A scalar constant that broadcasts against anything. */
    default T scalar(float value) {
        return constant(new float[] {value});
    }

    // --- arithmetic (broadcasting) ---
    T add(T a, T b);

    T sub(T a, T b);

    T mul(T a, T b);

    T div(T a, T b);

    T neg(T a);

    /** Matrix product of a [B, n] by b [n, m]. */
    T matmul(T a, T b);

    // --- elementwise functions ---
    T exp(T a);

    T log(T a);

    T sqrt(T a);

    T square(T a);

    T abs(T a);

    T tanh(T a);

    T sigmoid(T a);

    T relu(T a);

    /** log(1 + exp(a)), computed stably. */
    T softplus(T a);

    /** log(1 + a) for a > -1, accurate for small a. */
    T log1p(T a);

    T clamp(T a, float min, float max);

    // --- comparisons and selection ---
    /** 1 where a >= b, else 0 (broadcasting). */
    T greaterOrEqual(T a, T b);

    /** 1 where a < b, else 0 (broadcasting). */
    T less(T a, T b);

    /**
     * where(mask, a, b): a where mask is 1, b where it is 0. Gradients flow only through the chosen branch, but
     * the other branch must still be finite (autodiff multiplies by zero, and 0 * NaN is NaN).
     */
    T where(T mask, T a, T b);

    // --- reductions and scans ---
    /** Sum over one axis. */
    T sum(T a, int axis, boolean keepDims);

    /** Inclusive cumulative sum along one axis. */
    T cumsum(T a, int axis);

    /** Softmax along one axis. */
    T softmax(T a, int axis);

    // --- shape ---
    /** Elements [from, to) along one axis. */
    T slice(T a, int axis, long from, long to);

    /** Picks and reorders columns of a [B, n] tensor (a permutation between couplings). */
    T gatherColumns(T a, int[] columns);

    T concat(List<T> parts, int axis);

    /** Reshape; one entry may be -1 (inferred), 0 copies the input's size on that axis (ONNX semantics). */
    T reshape(T a, long... shape);

    /** Inserts an axis of size 1. */
    T unsqueeze(T a, int axis);

    /** Pads the last axis with constant values: {@code before} columns at the start, {@code after} at the end. */
    T padLastAxis(T a, int before, int after, float value);
}
