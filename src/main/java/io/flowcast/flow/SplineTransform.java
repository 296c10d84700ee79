package io.flowcast.flow;

import io.flowcast.flow.math.TensorOps;

/**
 * Monotone rational-quadratic splines of Durkan et al. (2019), "Neural Spline Flows", elementwise with per-element
 * parameters. K bins cover [-B, B] in both directions; outside that square the transform is the identity (linear
 * tails), so the boundary derivatives are fixed to 1.
 *
 * <p>Per element the conditioner supplies 3K - 1 raw numbers: K widths, K heights (softmax-normalised, floored at a
 * minimum share) and K - 1 interior knot derivatives (softplus, floored). A raw value of 0 gives uniform bins and
 * derivative 1: the identity, so a zero-initialised conditioner starts the flow at the identity.
 *
 * <p>The bin of each input is found without gather: comparisons against the interior knots give a step vector
 * 1..1 0..0, whose differences form a one-hot mask; sum(mask * table) picks the bin's entry. This evaluates the
 * same in DJL and ONNX and keeps gradients exact (the other entries are multiplied by exactly 0).
 */
final class SplineTransform {

    private final int bins;
    private final float bound;
    private final float minWidth;
    private final float minHeight;
    private final float minDerivative;
    /** softplus(raw + shift) + minDerivative == 1 at raw == 0. */
    private final float derivativeShift;

    SplineTransform(FlowConfig config) {
        this.bins = config.bins();
        this.bound = config.tailBound();
        this.minWidth = config.minBinWidth();
        this.minHeight = config.minBinHeight();
        this.minDerivative = config.minDerivative();
        this.derivativeShift = (float) Math.log(Math.expm1(1.0 - minDerivative));
    }

    int rawParametersPerElement() {
        return 3 * bins - 1;
    }

    /** The forward transform: y [B,n] and the summed log|dy/du| [B] for u [B,n] and raw [B,n,3K-1]. */
    <T> FlowOutput<T> forward(TensorOps<T> ops, T u, T raw) {
        Knots<T> knots = knots(ops, raw);
        T inside = inside(ops, u);
        T uc = ops.clamp(u, -bound, bound);
        Bin<T> bin = Bin.select(ops, uc, knots.x, knots, bins);

        T slope = ops.div(bin.height, bin.width);
        T xi = ops.div(ops.sub(uc, bin.x), bin.width);
        T oneMinusXi = ops.sub(ops.scalar(1f), xi);
        T xiTerm = ops.mul(xi, oneMinusXi);
        T curvature = ops.sub(ops.add(bin.nextDerivative, bin.derivative), ops.mul(ops.scalar(2f), slope));
        T numerator = ops.mul(bin.height, ops.add(ops.mul(slope, ops.square(xi)), ops.mul(bin.derivative, xiTerm)));
        T denominator = ops.add(slope, ops.mul(curvature, xiTerm));
        T y = ops.add(bin.y, ops.div(numerator, denominator));

        T logDerivative = logDerivative(ops, bin, slope, xi, oneMinusXi, xiTerm, denominator);

        T out = ops.where(inside, y, u);
        T logDet = ops.sum(ops.mul(inside, logDerivative), 1, false);
        return new FlowOutput<>(out, logDet);
    }

    /** The inverse transform u [B,n] for y [B,n]: the root of the bin's quadratic in the stable form. */
    <T> T inverse(TensorOps<T> ops, T y, T raw) {
        Knots<T> knots = knots(ops, raw);
        T inside = inside(ops, y);
        T yc = ops.clamp(y, -bound, bound);
        Bin<T> bin = Bin.select(ops, yc, knots.y, knots, bins);

        T slope = ops.div(bin.height, bin.width);
        T offset = ops.sub(yc, bin.y);
        T curvature = ops.sub(ops.add(bin.nextDerivative, bin.derivative), ops.mul(ops.scalar(2f), slope));
        T a = ops.add(ops.mul(bin.height, ops.sub(slope, bin.derivative)), ops.mul(offset, curvature));
        T b = ops.sub(ops.mul(bin.height, bin.derivative), ops.mul(offset, curvature));
        T c = ops.neg(ops.mul(slope, offset));
        T discriminant = ops.clamp(ops.sub(ops.square(b), ops.mul(ops.scalar(4f), ops.mul(a, c))), 0f, Float.MAX_VALUE);
        T xi = ops.div(ops.mul(ops.scalar(2f), c), ops.sub(ops.neg(b), ops.sqrt(discriminant)));
        T u = ops.add(ops.mul(xi, bin.width), bin.x);
        return ops.where(inside, u, y);
    }

    /**
     * The inverse transform u [B,n] for y [B,n] together with the forward log-det log|dy/du| [B] at that u, from
     * the bin and position the inverse already found: scoring a sample needs no second (forward) pass.
     */
    <T> FlowOutput<T> inverseWithForwardLogDet(TensorOps<T> ops, T y, T raw) {
        Knots<T> knots = knots(ops, raw);
        T inside = inside(ops, y);
        T yc = ops.clamp(y, -bound, bound);
        Bin<T> bin = Bin.select(ops, yc, knots.y, knots, bins);

        T slope = ops.div(bin.height, bin.width);
        T offset = ops.sub(yc, bin.y);
        T curvature = ops.sub(ops.add(bin.nextDerivative, bin.derivative), ops.mul(ops.scalar(2f), slope));
        T a = ops.add(ops.mul(bin.height, ops.sub(slope, bin.derivative)), ops.mul(offset, curvature));
        T b = ops.sub(ops.mul(bin.height, bin.derivative), ops.mul(offset, curvature));
        T c = ops.neg(ops.mul(slope, offset));
        T discriminant = ops.clamp(ops.sub(ops.square(b), ops.mul(ops.scalar(4f), ops.mul(a, c))), 0f, Float.MAX_VALUE);
        T xi = ops.div(ops.mul(ops.scalar(2f), c), ops.sub(ops.neg(b), ops.sqrt(discriminant)));
        T u = ops.add(ops.mul(xi, bin.width), bin.x);

        T oneMinusXi = ops.sub(ops.scalar(1f), xi);
        T xiTerm = ops.mul(xi, oneMinusXi);
        T denominator = ops.add(slope, ops.mul(curvature, xiTerm));
        T logDerivative = logDerivative(ops, bin, slope, xi, oneMinusXi, xiTerm, denominator);
        return new FlowOutput<>(ops.where(inside, u, y), ops.sum(ops.mul(inside, logDerivative), 1, false));
    }

    /** log dy/du of the rational-quadratic segment at relative position xi of its bin. */
    private static <T> T logDerivative(TensorOps<T> ops, Bin<T> bin, T slope, T xi, T oneMinusXi, T xiTerm,
            T denominator) {
        T derivativeNumerator = ops.mul(ops.square(slope), ops.add(ops.add(
                ops.mul(bin.nextDerivative, ops.square(xi)),
                ops.mul(ops.mul(ops.scalar(2f), slope), xiTerm)),
                ops.mul(bin.derivative, ops.square(oneMinusXi))));
        return ops.sub(ops.log(derivativeNumerator), ops.mul(ops.scalar(2f), ops.log(denominator)));
    }

    /** 1 inside [-B, B), 0 in the tails. */
    private <T> T inside(TensorOps<T> ops, T v) {
        return ops.mul(ops.greaterOrEqual(v, ops.scalar(-bound)), ops.less(v, ops.scalar(bound)));
    }

    private <T> Knots<T> knots(TensorOps<T> ops, T raw) {
        T rawWidths = ops.slice(raw, 2, 0, bins);
        T rawHeights = ops.slice(raw, 2, bins, 2L * bins);
        T rawDerivatives = ops.slice(raw, 2, 2L * bins, 3L * bins - 1);
        T xKnots = cumulativeKnots(ops, rawWidths, minWidth);
        T yKnots = cumulativeKnots(ops, rawHeights, minHeight);
        T interior = ops.add(ops.softplus(ops.add(rawDerivatives, ops.scalar(derivativeShift))),
                ops.scalar(minDerivative));
        T derivatives = ops.padLastAxis(interior, 1, 1, 1f);
        return new Knots<>(xKnots, yKnots, derivatives);
    }

    /** K + 1 knot positions from -B to B: softmax shares floored at {@code minShare}, accumulated. */
    private <T> T cumulativeKnots(TensorOps<T> ops, T raw, float minShare) {
        T shares = ops.add(ops.mul(ops.softmax(raw, 2), ops.scalar(1f - minShare * bins)), ops.scalar(minShare));
        T cumulative = ops.padLastAxis(ops.cumsum(shares, 2), 1, 0, 0f);
        return ops.sub(ops.mul(cumulative, ops.scalar(2f * bound)), ops.scalar(bound));
    }

    /** Knot tables, each [B,n,K+1]. */
    private record Knots<T>(T x, T y, T derivatives) {
    }

    /** The entries of each element's bin, each [B,n]. */
    private record Bin<T>(T x, T width, T y, T height, T derivative, T nextDerivative) {

        static <T> Bin<T> select(TensorOps<T> ops, T v, T searchKnots, Knots<T> knots, int bins) {
            // Step vector [1, v >= k_1, ..., v >= k_{K-1}, 0]; knots increase, so neighbour differences are one-hot.
            T interior = ops.slice(searchKnots, 2, 1, bins);
            T steps = ops.greaterOrEqual(ops.unsqueeze(v, 2), interior);
            steps = ops.padLastAxis(ops.padLastAxis(steps, 1, 0, 1f), 0, 1, 0f);
            T mask = ops.sub(ops.slice(steps, 2, 0, bins), ops.slice(steps, 2, 1, bins + 1L));

            T left = ops.slice(knots.x, 2, 0, bins);
            T width = ops.sub(ops.slice(knots.x, 2, 1, bins + 1L), left);
            T bottom = ops.slice(knots.y, 2, 0, bins);
            T height = ops.sub(ops.slice(knots.y, 2, 1, bins + 1L), bottom);
            return new Bin<>(
                    pick(ops, mask, left), pick(ops, mask, width),
                    pick(ops, mask, bottom), pick(ops, mask, height),
                    pick(ops, mask, ops.slice(knots.derivatives, 2, 0, bins)),
                    pick(ops, mask, ops.slice(knots.derivatives, 2, 1, bins + 1L)));
        }

        private static <T> T pick(TensorOps<T> ops, T mask, T table) {
            return ops.sum(ops.mul(mask, table), 2, false);
        }
    }
}
