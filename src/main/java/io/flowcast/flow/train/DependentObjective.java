package io.flowcast.flow.train;

import io.flowcast.flow.LatentDependence;
import io.flowcast.flow.math.TensorOps;
import java.util.List;

/**
 * What the dependent-data objectives share: the codes of a window are jointly Gaussian (the flow's base must be a
 * standard normal), the loss is the mean negative log-likelihood per record, and the fitted parameters become a
 * {@link LatentDependence} for the model's manifest and for innovation scoring.
 */
abstract class DependentObjective implements TrainingObjective {

    static final float LOG_TWO_PI = (float) Math.log(2 * Math.PI);
    /** Floor of a conditional variance in float32 training (rho near +-1, zero gaps). */
    static final float MIN_VARIANCE = 1e-6f;

    protected final int dimension;

    DependentObjective(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        this.dimension = dimension;
    }

    @Override
    public boolean requiresGaussianBase() {
        return true;
    }

    /**
     * A Gaussian Markov chain over each window: the first row N(0, I), row t given row t-1
     * N(rho_t z_{t-1}, v_t I). {@code rho} is [1] or [B, 1] (it multiplies the [B, d] codes), {@code variance} is
     * [1] or [B]; rows without a predecessor in the batch ignore both (which must still be finite there).
     */
    <T> T markovLoss(TensorOps<T> ops, T z, T logDet, T rho, T variance, BatchMetadata batch) {
        int n = batch.size();
        T zeroRow = ops.constant(new float[dimension], 1, dimension);
        T previous = n == 1 ? zeroRow : ops.concat(List.of(zeroRow, ops.slice(z, 0, 0, n - 1L)), 0);
        T hasPrevious = ops.constant(batch.hasPredecessorMask(), n);
        T innovation = ops.sub(z, ops.mul(previous, rho));
        T quadratic = ops.div(ops.sum(ops.square(innovation), 1, false), variance);
        T conditional = ops.add(quadratic, ops.mul(ops.log(variance), ops.scalar(dimension)));
        T marginal = ops.sum(ops.square(z), 1, false);
        T perRow = ops.add(ops.mul(hasPrevious, conditional),
                ops.mul(ops.sub(ops.scalar(1f), hasPrevious), marginal));
        // -log p per row = 0.5 * (quadratic + d log v + d log 2 pi) - log|det|
        T negative = ops.sub(ops.mul(ops.add(perRow, ops.scalar(dimension * LOG_TWO_PI)), ops.scalar(0.5f)), logDet);
        return ops.mul(ops.sum(negative, 0, false), ops.scalar(1f / n));
    }
}
