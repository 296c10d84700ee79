package io.flowcast.flow;

import io.flowcast.flow.math.TensorOps;
import java.util.ArrayList;
import java.util.List;

/**
 * A learned invertible linear map of the rows, y = x L U (Glow-style LU mixing): L unit lower-triangular, U
 * upper-triangular with a positive diagonal exp(logDiag), so log|det| = sum(logDiag) and the parameters at zero
 * give the identity. The inverse solves the two triangular systems column by column (d <= 32 steps each), which
 * needs only slices and small matmuls: the same graph in DJL and ONNX.
 */
final class LuLinear {

    private final int dimension;
    private final String lowerName;
    private final String upperName;
    private final String logDiagName;
    private final float[] strictLowerMask;
    private final float[] strictUpperMask;
    private final float[] identity;

    LuLinear(int dimension, String prefix) {
        this.dimension = dimension;
        this.lowerName = prefix + ".lower";
        this.upperName = prefix + ".upper";
        this.logDiagName = prefix + ".logDiag";
        strictLowerMask = new float[dimension * dimension];
        strictUpperMask = new float[dimension * dimension];
        identity = new float[dimension * dimension];
        for (int i = 0; i < dimension; i++) {
            for (int j = 0; j < dimension; j++) {
                strictLowerMask[i * dimension + j] = i > j ? 1f : 0f;
                strictUpperMask[i * dimension + j] = i < j ? 1f : 0f;
                identity[i * dimension + j] = i == j ? 1f : 0f;
            }
        }
    }

    List<ParameterSpec> parameters() {
        long[] square = {dimension, dimension};
        return List.of(
                new ParameterSpec(lowerName, square, true, Initializer.zeros()),
                new ParameterSpec(upperName, square, true, Initializer.zeros()),
                new ParameterSpec(logDiagName, new long[] {dimension}, true, Initializer.zeros()));
    }

    <T> FlowOutput<T> forward(TensorOps<T> ops, T x) {
        T logDiag = ops.parameter(logDiagName);
        T y = ops.matmul(ops.matmul(x, lower(ops)), upper(ops, logDiag));
        return new FlowOutput<>(y, ops.sum(logDiag, 0, false));
    }

    /** log|det| of the layer [scalar]: sum(logDiag), the same at every point. */
    <T> T logDet(TensorOps<T> ops) {
        return ops.sum(ops.parameter(logDiagName), 0, false);
    }

    <T> T inverse(TensorOps<T> ops, T y) {
        T logDiag = ops.parameter(logDiagName);
        T upper = upper(ops, logDiag);
        T lower = lower(ops);
        // Solve w U = y left to right: w_j = (y_j - w_{<j} . U[<j, j]) / U_jj.
        List<T> w = new ArrayList<>(dimension);
        for (int j = 0; j < dimension; j++) {
            T rhs = ops.slice(y, 1, j, j + 1L);
            if (j > 0) {
                T column = ops.slice(ops.slice(upper, 1, j, j + 1L), 0, 0, j);
                rhs = ops.sub(rhs, ops.matmul(ops.concat(w, 1), column));
            }
            w.add(ops.mul(rhs, ops.exp(ops.neg(ops.slice(logDiag, 0, j, j + 1L)))));
        }
        // Solve x L = w right to left: x_j = w_j - x_{>j} . L[>j, j].
        List<T> x = new ArrayList<>(dimension);
        for (int j = 0; j < dimension; j++) {
            x.add(null);
        }
        for (int j = dimension - 1; j >= 0; j--) {
            T value = w.get(j);
            if (j < dimension - 1) {
                T column = ops.slice(ops.slice(lower, 1, j, j + 1L), 0, j + 1L, dimension);
                value = ops.sub(value, ops.matmul(ops.concat(x.subList(j + 1, dimension), 1), column));
            }
            x.set(j, value);
        }
        return ops.concat(x, 1);
    }

    private <T> T lower(TensorOps<T> ops) {
        T masked = ops.mul(ops.parameter(lowerName), ops.constant(strictLowerMask, dimension, dimension));
        return ops.add(masked, ops.constant(identity, dimension, dimension));
    }

    private <T> T upper(TensorOps<T> ops, T logDiag) {
        T masked = ops.mul(ops.parameter(upperName), ops.constant(strictUpperMask, dimension, dimension));
        T diagonal = ops.mul(ops.constant(identity, dimension, dimension), ops.unsqueeze(ops.exp(logDiag), 0));
        return ops.add(masked, diagonal);
    }
}
