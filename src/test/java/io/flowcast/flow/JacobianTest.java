package io.flowcast.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.flowcast.flow.train.DjlOps;
import io.flowcast.flow.train.DjlParameters;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The log-det the flow reports against log|det| of a central finite-difference Jacobian, in float64. */
class JacobianTest {

    @ParameterizedTest(name = "{0} d={1} k={2} {3}")
    @CsvSource({
        "SPLINE, 1, 0, PERMUTATION", "SPLINE, 1, 16, PERMUTATION", "SPLINE, 2, 0, PERMUTATION",
        "SPLINE, 2, 16, LU", "SPLINE, 5, 0, LU", "SPLINE, 5, 16, PERMUTATION",
        "AFFINE, 1, 16, PERMUTATION", "AFFINE, 2, 0, LU", "AFFINE, 5, 16, PERMUTATION"})
    void logDetMatchesFiniteDifferences(CouplingKind coupling, int d, int k, MixingKind mixing) {
        FlowConfig config = FlowConfig.builder(d, k).coupling(coupling).mixing(mixing).couplings(3).hiddenWidth(16)
                .seed(7).build();
        ConditionalFlow flow = new ConditionalFlow(config);
        FlowParameters parameters = RandomParameters.of(flow, 3 + d, 0.5f);
        SplittableRandom random = new SplittableRandom(17 + k);
        int rows = 6;
        double step = 1e-6;
        try (NDManager manager = NDManager.newBaseManager()) {
            DjlOps ops = new DjlOps(manager, DjlParameters.toArrays(manager, parameters, DataType.FLOAT64, false),
                    DataType.FLOAT64);
            for (int row = 0; row < rows; row++) {
                double[] x = new double[d];
                for (int i = 0; i < d; i++) {
                    x[i] = random.nextGaussian() * (row == rows - 1 ? 6 : 1.5);
                }
                double[] c = new double[k];
                for (int i = 0; i < k; i++) {
                    c[i] = random.nextGaussian();
                }
                // Rows: x, then x +- step along each axis; one batch.
                double[] batch = new double[(2 * d + 1) * d];
                for (int j = 0; j < 2 * d + 1; j++) {
                    System.arraycopy(x, 0, batch, j * d, d);
                }
                for (int i = 0; i < d; i++) {
                    batch[(1 + 2 * i) * d + i] += step;
                    batch[(2 + 2 * i) * d + i] -= step;
                }
                double[] contexts = new double[(2 * d + 1) * k];
                for (int j = 0; j < 2 * d + 1; j++) {
                    System.arraycopy(c, 0, contexts, j * k, k);
                }
                NDArray xs = manager.create(batch).reshape(2 * d + 1, d);
                NDArray cs = k == 0 ? null : manager.create(contexts).reshape(2 * d + 1, k);
                FlowOutput<NDArray> out = flow.forward(ops, xs, cs);
                double[] z = out.z().toDoubleArray();
                double reported = out.logDet().toDoubleArray()[0];
                double[][] jacobian = new double[d][d];
                for (int i = 0; i < d; i++) {
                    for (int o = 0; o < d; o++) {
                        jacobian[o][i] = (z[(1 + 2 * i) * d + o] - z[(2 + 2 * i) * d + o]) / (2 * step);
                    }
                }
                assertEquals(logAbsDet(jacobian), reported, 1e-6, "row " + row);
            }
        }
    }

    /** log|det| by Gaussian elimination with partial pivoting. */
    static double logAbsDet(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = matrix[i].clone();
        }
        double logDet = 0;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            logDet += Math.log(Math.abs(a[col][col]));
            for (int r = col + 1; r < n; r++) {
                double factor = a[r][col] / a[col][col];
                for (int j = col; j < n; j++) {
                    a[r][j] -= factor * a[col][j];
                }
            }
        }
        return logDet;
    }
}
