package io.flowcast.flow.train;

import io.flowcast.flow.ParameterSpec;
import io.flowcast.flow.math.TensorOps;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The loss a flow is trained on, given what the flow computed for a batch. The i.i.d. negative log-likelihood is
 * one choice ({@link IidObjective}); dependent-data objectives (AR(1), Ornstein-Uhlenbeck, grouped random effects)
 * model the codes of one window jointly and plug in here: batches hold whole windows (see {@link BatchMetadata}).
 */
public interface TrainingObjective {

    /** A short name for reports and manifests. */
    String name();

    /**
     * Extra trainable parameters the objective learns jointly with the flow (e.g. an AR(1) coefficient), read in
     * {@link #loss} through {@code ops.parameter(name)}. Names should start with {@code "objective."}.
     */
    default List<ParameterSpec> parameters() {
        return List.of();
    }

    /**
     * The scalar loss of a batch: the mean negative log-likelihood per record (so values compare with the i.i.d.
     * NLL in nats).
     *
     * @param z            codes [B, d]
     * @param logDet       log|det dz/dx| per row [B]
     * @param baseLogProb  the flow's base log-density, codes [n, d] -> [n]
     * @param batch        which rows belong to which window, and when
     */
    <T> T loss(TensorOps<T> ops, T z, T logDet, UnaryOperator<T> baseLogProb, BatchMetadata batch);
}
