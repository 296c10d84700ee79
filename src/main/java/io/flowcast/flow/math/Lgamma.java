package io.flowcast.flow.math;

/**
 * log Gamma(x) for x > 0 from {@link TensorOps} primitives (neither DJL's autodiff ops nor ONNX have one):
 * shift the argument up by the recurrence Gamma(x) = Gamma(x + 4) / (x (x+1) (x+2) (x+3)), then evaluate Stirling's
 * series to the z^-9 term at z = x + 4 >= 4, where its truncation error is below 1e-9. A small shift keeps the
 * intermediate values small, which is what limits float32 accuracy (about 1e-6 absolute near the minimum).
 * Meant for moderate arguments (degrees of freedom): the product overflows float32 beyond x of about 1e9.
 */
public final class Lgamma {

    static final int SHIFT = 4;
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    private Lgamma() {
    }

    public static <T> T of(TensorOps<T> ops, T x) {
        T product = x;
        for (int i = 1; i < SHIFT; i++) {
            product = ops.mul(product, ops.add(x, ops.scalar(i)));
        }
        T z = ops.add(x, ops.scalar(SHIFT));
        return ops.sub(stirling(ops, z), ops.log(product));
    }

    /** (z - 1/2) log z - z + log(2 pi)/2 + 1/(12 z) - 1/(360 z^3) + 1/(1260 z^5) - 1/(1680 z^7) + 1/(1188 z^9). */
    private static <T> T stirling(TensorOps<T> ops, T z) {
        T leading = ops.sub(ops.mul(ops.sub(z, ops.scalar(0.5f)), ops.log(z)), z);
        T inverse = ops.div(ops.scalar(1f), z);
        T inverseSquared = ops.square(inverse);
        // Horner in 1/z^2: 1/z * (1/12 - 1/z^2 (1/360 - 1/z^2 (1/1260 - 1/z^2 (1/1680 - 1/z^2 / 1188))))
        T series = ops.sub(ops.scalar(1f / 1680f), ops.mul(inverseSquared, ops.scalar(1f / 1188f)));
        series = ops.sub(ops.scalar(1f / 1260f), ops.mul(inverseSquared, series));
        series = ops.sub(ops.scalar(1f / 360f), ops.mul(inverseSquared, series));
        series = ops.sub(ops.scalar(1f / 12f), ops.mul(inverseSquared, series));
        return ops.add(ops.add(leading, ops.scalar((float) HALF_LOG_TWO_PI)), ops.mul(inverse, series));
    }
}
