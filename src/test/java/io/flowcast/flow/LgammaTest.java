package io.flowcast.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.flowcast.flow.math.Lgamma;
import io.flowcast.flow.train.DjlOps;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * lgamma built from TensorOps primitives, against closed forms (not against itself). In float64 the limit is the
 * float32 constants of the series (about 1e-8), not the series.
 */
class LgammaTest {

    private static final double LOG_PI = Math.log(Math.PI);

    @Test
    void matchesClosedFormsInDoublePrecision() {
        double[] x = {0.5, 1, 1.5, 2, 10, 100.5, 0.1, 0.3, 0.7, 0.9};
        double[] expected = new double[x.length];
        expected[0] = 0.5 * LOG_PI;
        expected[1] = 0;
        expected[2] = 0.5 * LOG_PI - Math.log(2);
        expected[3] = 0;
        expected[4] = logFactorial(9);
        // Gamma(n + 1/2) = (2n)! sqrt(pi) / (4^n n!)
        expected[5] = logFactorial(200) + 0.5 * LOG_PI - 100 * Math.log(4) - logFactorial(100);
        double[] values = evaluate(x, DataType.FLOAT64);
        for (int i = 0; i < 6; i++) {
            assertEquals(expected[i], values[i], 1e-7 * Math.max(1, Math.abs(expected[i])), "lgamma(" + x[i] + ")");
        }
        // Reflection: lgamma(x) + lgamma(1 - x) = log(pi / sin(pi x)), for x in (0, 1).
        double[] reflected = evaluate(new double[] {0.9, 0.7, 0.3, 0.1}, DataType.FLOAT64);
        for (int i = 6; i < 10; i++) {
            assertEquals(Math.log(Math.PI / Math.sin(Math.PI * x[i])), values[i] + reflected[i - 6], 1e-7);
        }
    }

    @Test
    void isAccurateToAMillionthInFloat32() {
        double[] x = {0.05, 0.5, 1.5, 3.7, 8, 15.5, 60};
        double[] reference = evaluate(x, DataType.FLOAT64);
        double[] single = evaluate(x, DataType.FLOAT32);
        for (int i = 0; i < x.length; i++) {
            assertEquals(reference[i], single[i], 1e-6 * Math.max(1, Math.abs(reference[i])), "lgamma(" + x[i] + ")");
        }
    }

    @Test
    void satisfiesTheRecurrence() {
        double[] x = {0.25, 2.75, 7.9, 31.3};
        double[] shifted = {1.25, 3.75, 8.9, 32.3};
        double[] a = evaluate(x, DataType.FLOAT64);
        double[] b = evaluate(shifted, DataType.FLOAT64);
        for (int i = 0; i < x.length; i++) {
            assertEquals(a[i] + Math.log(x[i]), b[i], 1e-7 * Math.max(1, Math.abs(b[i])));
        }
    }

    private static double[] evaluate(double[] x, DataType type) {
        try (NDManager manager = NDManager.newBaseManager()) {
            DjlOps ops = new DjlOps(manager, Map.of(), type);
            var input = manager.create(x).toType(type, false);
            return Lgamma.of(ops, input).toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    private static double logFactorial(int n) {
        double sum = 0;
        for (int i = 2; i <= n; i++) {
            sum += Math.log(i);
        }
        return sum;
    }
}
