package io.flowcast.flow.train;

import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.Initializer;
import io.flowcast.flow.LatentDependence;
import io.flowcast.flow.ParameterSpec;
import io.flowcast.flow.math.TensorOps;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Evenly spaced records of one entity: the codes of a window follow a Gaussian AR(1), Sigma_ij = rho^|i-j|, so
 * log p = log N(z_1; 0, I) + sum_t log N(z_t; rho z_{t-1}, (1 - rho^2) I) + sum log|det J|. O(n d) per window
 * (the precision is tridiagonal). rho = tanh(r) is learned with the flow and starts at 0, where the loss is the
 * i.i.d. one exactly.
 */
public final class Ar1Objective extends DependentObjective {

    public static final String RHO_RAW = "objective.rhoRaw";

    public Ar1Objective(int dimension) {
        super(dimension);
    }

    @Override
    public String name() {
        return "ar1";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(new ParameterSpec(RHO_RAW, new long[] {1}, true, Initializer.zeros()));
    }

    @Override
    public <T> T loss(TensorOps<T> ops, T z, T logDet, UnaryOperator<T> baseLogProb, BatchMetadata batch) {
        T rho = ops.tanh(ops.parameter(RHO_RAW));
        T variance = ops.clamp(ops.sub(ops.scalar(1f), ops.square(rho)), MIN_VARIANCE, 1f);
        return markovLoss(ops, z, logDet, rho, variance, batch);
    }

    /** Starts rho at the features' lag-1 correlation (clamped to +-0.9), 0 without windows. */
    @Override
    public FlowParameters initialParameters(FlowParameters defaults, WindowMoments moments) {
        double rho = moments.lag1Correlation();
        if (!Double.isFinite(rho)) {
            return defaults;
        }
        return defaults.with(RHO_RAW, new float[] {(float) atanh(Math.max(-0.9, Math.min(0.9, rho)))});
    }

    static double atanh(double value) {
        return 0.5 * Math.log((1 + value) / (1 - value));
    }

    @Override
    public LatentDependence dependence(FlowParameters objectiveParameters) {
        double rho = Math.tanh(objectiveParameters.values(RHO_RAW)[0]);
        // tanh saturates to +-1 in double for |r| > 19; keep the stored model valid.
        return new LatentDependence.Ar1(Math.max(-1 + 1e-9, Math.min(1 - 1e-9, rho)));
    }
}
