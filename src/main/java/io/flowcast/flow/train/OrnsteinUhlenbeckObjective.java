package io.flowcast.flow.train;

import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.Initializer;
import io.flowcast.flow.LatentDependence;
import io.flowcast.flow.ParameterSpec;
import io.flowcast.flow.math.TensorOps;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Irregularly spaced records of one entity: consecutive codes correlate by exp(-gap / tau) (an Ornstein-Uhlenbeck
 * latent process sampled at the event times). The AR(1) form with one rho per step, O(n d) per window.
 * tau = tau0 * exp(eta) is learned with the flow; tau0 (the initial guess, e.g. the median gap) only sets the scale
 * so eta starts near 0. Gaps are floored at {@link LatentDependence#MIN_GAP_SECONDS} (equal timestamps).
 */
public final class OrnsteinUhlenbeckObjective extends DependentObjective {

    public static final String LOG_TAU = "objective.logTau";

    private final double initialTauSeconds;

    public OrnsteinUhlenbeckObjective(int dimension, double initialTauSeconds) {
        super(dimension);
        if (!(initialTauSeconds > 0) || Double.isInfinite(initialTauSeconds)) {
            throw new IllegalArgumentException("initial tau must be positive, got " + initialTauSeconds);
        }
        this.initialTauSeconds = initialTauSeconds;
    }

    @Override
    public String name() {
        return "ou";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(new ParameterSpec(LOG_TAU, new long[] {1}, true, Initializer.zeros()));
    }

    @Override
    public <T> T loss(TensorOps<T> ops, T z, T logDet, UnaryOperator<T> baseLogProb, BatchMetadata batch) {
        int n = batch.size();
        // gap / tau0 per row; 1 where a row has no predecessor (masked out, but must stay finite).
        float[] scaledGaps = new float[n];
        float[] mask = batch.hasPredecessorMask();
        long[] times = batch.timestamps();
        for (int row = 0; row < n; row++) {
            double gap = mask[row] > 0 ? Math.max(LatentDependence.MIN_GAP_SECONDS, (times[row] - (double) times[row - 1]) / 1000.0)
                    : initialTauSeconds;
            scaledGaps[row] = (float) (gap / initialTauSeconds);
        }
        T gapOverTau = ops.mul(ops.constant(scaledGaps, n), ops.exp(ops.neg(ops.parameter(LOG_TAU))));
        T rho = ops.exp(ops.neg(gapOverTau));
        T variance = ops.clamp(ops.sub(ops.scalar(1f), ops.exp(ops.mul(gapOverTau, ops.scalar(-2f)))),
                MIN_VARIANCE, 1f);
        return markovLoss(ops, z, logDet, ops.reshape(rho, n, 1), variance, batch);
    }

    /**
     * Starts tau where exp(-mean gap / tau) equals the features' lag-1 correlation (clamped to [0.05, 0.9]), so the
     * initial guess given to the constructor only matters without windows.
     */
    @Override
    public FlowParameters initialParameters(FlowParameters defaults, WindowMoments moments) {
        double rho = moments.lag1Correlation();
        double gap = moments.meanGapSeconds();
        if (!Double.isFinite(rho) || !(gap > 0)) {
            return defaults;
        }
        double tau = -gap / Math.log(Math.max(0.05, Math.min(0.9, rho)));
        return defaults.with(LOG_TAU, new float[] {(float) Math.log(tau / initialTauSeconds)});
    }

    @Override
    public LatentDependence dependence(FlowParameters objectiveParameters) {
        return new LatentDependence.OrnsteinUhlenbeck(tauSeconds(objectiveParameters));
    }

    public double tauSeconds(FlowParameters objectiveParameters) {
        double tau = initialTauSeconds * Math.exp(objectiveParameters.values(LOG_TAU)[0]);
        return Math.min(Double.MAX_VALUE, Math.max(Double.MIN_NORMAL, tau));
    }
}
