package io.flowcast.flow;

import io.flowcast.flow.math.TensorOps;

/**
 * RealNVP's affine coupling, elementwise: y = u * exp(s) + t with the log-scale softly bounded,
 * s = S * tanh(raw / S), so one coupling can never blow a value up by more than exp(S). Raw zeros give the identity.
 */
final class AffineTransform {

    /** Largest log-scale one coupling may apply. */
    static final float LOG_SCALE_BOUND = 3f;

    int rawParametersPerElement() {
        return 2;
    }

    /** y [B,n] and sum(s) [B] for u [B,n] and raw [B,n,2] (shift, raw log-scale). */
    <T> FlowOutput<T> forward(TensorOps<T> ops, T u, T raw) {
        T shift = shift(ops, raw);
        T logScale = logScale(ops, raw);
        T y = ops.add(ops.mul(u, ops.exp(logScale)), shift);
        return new FlowOutput<>(y, ops.sum(logScale, 1, false));
    }

    <T> T inverse(TensorOps<T> ops, T y, T raw) {
        T shift = shift(ops, raw);
        T logScale = logScale(ops, raw);
        return ops.mul(ops.sub(y, shift), ops.exp(ops.neg(logScale)));
    }

    /** The inverse u [B,n] with the forward log-det sum(s) [B] (the scale does not depend on u). */
    <T> FlowOutput<T> inverseWithForwardLogDet(TensorOps<T> ops, T y, T raw) {
        T logScale = logScale(ops, raw);
        return new FlowOutput<>(ops.mul(ops.sub(y, shift(ops, raw)), ops.exp(ops.neg(logScale))),
                ops.sum(logScale, 1, false));
    }

    private static <T> T shift(TensorOps<T> ops, T raw) {
        return ops.sum(ops.slice(raw, 2, 0, 1), 2, false);
    }

    private static <T> T logScale(TensorOps<T> ops, T raw) {
        T bounded = ops.tanh(ops.mul(ops.sum(ops.slice(raw, 2, 1, 2), 2, false), ops.scalar(1f / LOG_SCALE_BOUND)));
        return ops.mul(bounded, ops.scalar(LOG_SCALE_BOUND));
    }
}
