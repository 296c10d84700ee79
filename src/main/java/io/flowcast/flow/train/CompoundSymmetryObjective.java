package io.flowcast.flow.train;

import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.Initializer;
import io.flowcast.flow.LatentDependence;
import io.flowcast.flow.ParameterSpec;
import io.flowcast.flow.math.TensorOps;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Records of one group share a random effect: within a window of m records Sigma = (1 - a) I + a J. With the
 * column sums S_j of the window's codes, log|Sigma| = (m-1) log(1-a) + log(1+(m-1)a) and
 * tr(Z^T Sigma^-1 Z) = (sum Z^2 - a / (1+(m-1)a) sum_j S_j^2) / (1 - a): O(m d), no m x m matrix. One a = sigmoid(b)
 * shared by every group (a per-group a is poorly identified with few records), learned with the flow.
 */
public final class CompoundSymmetryObjective extends DependentObjective {

    public static final String A_RAW = "objective.aRaw";
    /** sigmoid(-2) = 0.12: a weak initial dependence, so the first epochs are close to the i.i.d. fit. */
    private static final float INITIAL_RAW = -2f;

    public CompoundSymmetryObjective(int dimension) {
        super(dimension);
    }

    @Override
    public String name() {
        return "compound-symmetry";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(new ParameterSpec(A_RAW, new long[] {1}, true, new Initializer.Constant(INITIAL_RAW)));
    }

    @Override
    public <T> T loss(TensorOps<T> ops, T z, T logDet, UnaryOperator<T> baseLogProb, BatchMetadata batch) {
        int n = batch.size();
        int d = dimension;
        int windows = batch.windowCount();
        int[] starts = batch.windowStarts();
        // Column sums per window from one cumulative sum: S_w = C[end_w] - C[start_w] with C[0] = 0.
        T cumulative = ops.concat(List.of(ops.constant(new float[d], 1, d), ops.cumsum(z, 0)), 0);
        T flat = ops.reshape(cumulative, 1, (long) (n + 1) * d);
        int[] endColumns = new int[windows * d];
        int[] startColumns = new int[windows * d];
        float[] lengths = new float[windows];
        for (int w = 0; w < windows; w++) {
            lengths[w] = starts[w + 1] - starts[w];
            for (int j = 0; j < d; j++) {
                endColumns[w * d + j] = starts[w + 1] * d + j;
                startColumns[w * d + j] = starts[w] * d + j;
            }
        }
        T sums = ops.sub(ops.reshape(ops.gatherColumns(flat, endColumns), windows, d),
                ops.reshape(ops.gatherColumns(flat, startColumns), windows, d));
        T sumSquares = ops.sum(ops.square(sums), 1, false);
        T a = ops.clamp(ops.sigmoid(ops.parameter(A_RAW)), 0f, 1f - MIN_VARIANCE);
        T oneMinusA = ops.sub(ops.scalar(1f), a);
        T lengthsMinusOne = ops.constant(minusOne(lengths), windows);
        T big = ops.add(ops.scalar(1f), ops.mul(lengthsMinusOne, a)); // 1 + (m - 1) a per window
        T shrunk = ops.sum(ops.mul(ops.div(a, big), sumSquares), 0, false);
        T trace = ops.div(ops.sub(ops.sum(ops.sum(ops.square(z), 1, false), 0, false), shrunk), oneMinusA);
        T logDeterminant = ops.sum(ops.add(ops.mul(lengthsMinusOne, ops.log(oneMinusA)), ops.log(big)), 0, false);
        T negative = ops.mul(ops.add(ops.add(trace, ops.mul(logDeterminant, ops.scalar(d))),
                ops.scalar(n * d * LOG_TWO_PI)), ops.scalar(0.5f));
        negative = ops.sub(negative, ops.sum(logDet, 0, false));
        return ops.mul(negative, ops.scalar(1f / n));
    }

    private static float[] minusOne(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] - 1;
        }
        return out;
    }

    /** Starts a at the features' intra-class correlation (clamped to [0.02, 0.9]). */
    @Override
    public FlowParameters initialParameters(FlowParameters defaults, WindowMoments moments) {
        double icc = moments.intraclassCorrelation();
        if (!Double.isFinite(icc)) {
            return defaults;
        }
        double a = Math.max(0.02, Math.min(0.9, icc));
        return defaults.with(A_RAW, new float[] {(float) Math.log(a / (1 - a))});
    }

    @Override
    public LatentDependence dependence(FlowParameters objectiveParameters) {
        double a = 1 / (1 + Math.exp(-objectiveParameters.values(A_RAW)[0]));
        return new LatentDependence.CompoundSymmetry(Math.min(a, 1 - 1e-9));
    }
}
