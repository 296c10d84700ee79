package io.flowcast.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.flowcast.flow.train.DjlOps;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The spline against a scalar double-precision transcription of Durkan et al.'s equations. */
class SplineTransformTest {

    private static final int BINS = 5;
    private static final double BOUND = 3;

    @Test
    void matchesTheScalarReferenceAndItsInverse() {
        FlowConfig config = FlowConfig.builder(2, 0).bins(BINS).tailBound((float) BOUND).build();
        SplineTransform spline = new SplineTransform(config);
        int rows = 200;
        int per = 3 * BINS - 1;
        SplittableRandom random = new SplittableRandom(3);
        double[] raw = new double[rows * per];
        double[] u = new double[rows];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = random.nextGaussian() * 1.5;
        }
        for (int i = 0; i < rows; i++) {
            u[i] = random.nextDouble() * 8 - 4;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            DjlOps ops = new DjlOps(manager, Map.of(), DataType.FLOAT64);
            NDArray rawArray = manager.create(raw).reshape(rows, 1, per);
            NDArray uArray = manager.create(u).reshape(rows, 1);
            FlowOutput<NDArray> out = spline.forward(ops, uArray, rawArray);
            double[] y = out.z().toDoubleArray();
            double[] logDet = out.logDet().toDoubleArray();
            double[] back = spline.inverse(ops, out.z(), rawArray).toDoubleArray();
            for (int i = 0; i < rows; i++) {
                double[] params = java.util.Arrays.copyOfRange(raw, i * per, (i + 1) * per);
                double[] expected = reference(u[i], params, config);
                assertEquals(expected[0], y[i], 1e-6, "y at row " + i);
                assertEquals(expected[1], logDet[i], 1e-5, "log-derivative at row " + i);
                assertEquals(u[i], back[i], 1e-6, "inverse at row " + i);
            }
        }
    }

    /** {y, log dy/du} for one element, straight from the paper (section 3.1 and appendix A). */
    private static double[] reference(double u, double[] raw, FlowConfig config) {
        if (u < -BOUND || u >= BOUND) {
            return new double[] {u, 0};
        }
        double[] xk = knots(raw, 0, config.minBinWidth());
        double[] yk = knots(raw, BINS, config.minBinHeight());
        double[] derivative = new double[BINS + 1];
        derivative[0] = 1;
        derivative[BINS] = 1;
        double shift = Math.log(Math.expm1(1 - config.minDerivative()));
        for (int i = 1; i < BINS; i++) {
            derivative[i] = config.minDerivative() + Math.log1p(Math.exp(raw[2 * BINS + i - 1] + shift));
        }
        int k = 0;
        while (k < BINS - 1 && u >= xk[k + 1]) {
            k++;
        }
        double w = xk[k + 1] - xk[k];
        double h = yk[k + 1] - yk[k];
        double s = h / w;
        double xi = (u - xk[k]) / w;
        double denominator = s + (derivative[k + 1] + derivative[k] - 2 * s) * xi * (1 - xi);
        double y = yk[k] + h * (s * xi * xi + derivative[k] * xi * (1 - xi)) / denominator;
        double slope = s * s * (derivative[k + 1] * xi * xi + 2 * s * xi * (1 - xi)
                + derivative[k] * (1 - xi) * (1 - xi)) / (denominator * denominator);
        return new double[] {y, Math.log(slope)};
    }

    private static double[] knots(double[] raw, int offset, double minShare) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < BINS; i++) {
            max = Math.max(max, raw[offset + i]);
        }
        double total = 0;
        for (int i = 0; i < BINS; i++) {
            total += Math.exp(raw[offset + i] - max);
        }
        double[] knots = new double[BINS + 1];
        double cumulative = 0;
        knots[0] = -BOUND;
        for (int i = 0; i < BINS; i++) {
            cumulative += minShare + (1 - minShare * BINS) * Math.exp(raw[offset + i] - max) / total;
            knots[i + 1] = cumulative * 2 * BOUND - BOUND;
        }
        return knots;
    }

    @Test
    void zeroParametersGiveTheIdentity() {
        FlowConfig config = FlowConfig.builder(2, 0).bins(BINS).tailBound((float) BOUND).build();
        SplineTransform spline = new SplineTransform(config);
        try (NDManager manager = NDManager.newBaseManager()) {
            DjlOps ops = new DjlOps(manager, Map.of());
            NDArray u = manager.create(new float[] {-4f, -2.9f, -0.3f, 0f, 1.7f, 2.99f, 3.5f}).reshape(7, 1);
            FlowOutput<NDArray> out = spline.forward(ops, u, manager.zeros(new ai.djl.ndarray.types.Shape(7, 1, 3 * BINS - 1)));
            float[] y = out.z().toFloatArray();
            float[] x = u.toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], 1e-5);
                assertTrue(Math.abs(out.logDet().toFloatArray()[i]) < 1e-5);
            }
        }
    }
}
