package io.flowcast.flow.train;

import io.flowcast.flow.math.TensorOps;
import java.util.function.UnaryOperator;

/** Records are independent: loss = -mean(log p_base(z) + log|det|). */
public final class IidObjective implements TrainingObjective {

    @Override
    public String name() {
        return "iid";
    }

    @Override
    public <T> T loss(TensorOps<T> ops, T z, T logDet, UnaryOperator<T> baseLogProb, BatchMetadata batch) {
        T logLikelihood = ops.add(baseLogProb.apply(z), logDet);
        return ops.mul(ops.sum(logLikelihood, 0, false), ops.scalar(-1f / batch.size()));
    }
}
