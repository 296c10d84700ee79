package io.flowcast.flow.math;

/**
 * log Gamma(x) for x > 0 from {@link TensorOps} primitives (neither DJL's autodiff ops nor ONNX have one):
 * shift the argument up by the recurrence Gamma(x) = Gamma(x + n) / (x (x+1) ... (x+n-1)) until Stirling's series
 * is accurate, then evaluate the series. With a shift of 8 the truncation error is below 1e-10; in float32 the
 * result is good to about 1e-6 relative.
 */
public final class Lgamma {

    static final int SHIFT = 8;
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    private Lgamma() {
    }

    public static <T> T of(TensorOps<T> ops, T x) {
        T shiftLogs = ops.log(x);
        for (int i = 1; i < SHIFT; i++) {
            shiftLogs = ops.add(shiftLogs, ops.log(ops.add(x, ops.scalar(i))));
        }
        T z = ops.add(x, ops.scalar(SHIFT));
        return ops.sub(stirling(ops, z), shiftLogs);
    }

    /** (z - 1/2) log z - z + log(2 pi)/2 + 1/(12 z) - 1/(360 z^3) + 1/(1260 z^5) - 1/(1680 z^7), for z >= 8. */
    private static <T> T stirling(TensorOps<T> ops, T z) {
        T leading = ops.sub(ops.mul(ops.sub(z, ops.scalar(0.5f)), ops.log(z)), z);
        T inverse = ops.div(ops.scalar(1f), z);
        T inverseSquared = ops.square(inverse);
        // Horner in 1/z^2: 1/z * (1/12 - 1/z^2 (1/360 - 1/z^2 (1/1260 - 1/z^2 / 1680)))
        T series = ops.sub(ops.scalar(1f / 1260f), ops.mul(inverseSquared, ops.scalar(1f / 1680f)));
        series = ops.sub(ops.scalar(1f / 360f), ops.mul(inverseSquared, series));
        series = ops.sub(ops.scalar(1f / 12f), ops.mul(inverseSquared, series));
        return ops.add(ops.add(leading, ops.scalar((float) HALF_LOG_TWO_PI)), ops.mul(inverse, series));
    }
}
