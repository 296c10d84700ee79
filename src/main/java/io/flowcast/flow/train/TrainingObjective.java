package io.flowcast.flow.train;

import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.LatentDependence;
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

    /**
     * Whether the objective models the codes as Gaussian itself (the dependent-data objectives do): the trainer
     * then refuses a flow with another base, whose parameters the loss would not see.
     */
    default boolean requiresGaussianBase() {
        return false;
    }

    /**
     * The dependence between a window's codes that the fitted objective parameters describe, for the model's
     * manifest and for innovation scoring; independent for the i.i.d. objective.
     */
    default LatentDependence dependence(FlowParameters objectiveParameters) {
        return LatentDependence.independent();
    }

    /**
     * The objective parameters to start from, given moments of the training windows; the defaults (drawn from
     * {@link #parameters()}) unless the objective has a better start.
     */
    default FlowParameters initialParameters(FlowParameters defaults, WindowMoments moments) {
        return defaults;
    }
}
