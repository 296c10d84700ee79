package io.flowcast.flow.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Each operation as a one-op graph run by ONNX Runtime, against the same values computed in plain Java. */
class OnnxGraphOpsTest {

    private static final float[] A23 = {-2.5f, -0.75f, 0f, 0.5f, 1.25f, 3f};
    private static final float[] B3 = {0.5f, -1.5f, 2f};
    private static final float TOLERANCE = 1e-6f;

    @Test
    void broadcastingArithmeticMatchesJava() throws OrtException {
        assertBinary(OnnxGraphOps::add, (x, y) -> x + y);
        assertBinary(OnnxGraphOps::sub, (x, y) -> x - y);
        assertBinary(OnnxGraphOps::mul, (x, y) -> x * y);
        assertBinary(OnnxGraphOps::div, (x, y) -> x / y);
    }

    @Test
    void scalarBroadcastsAgainstAMatrix() throws OrtException {
        OnnxGraphOps ops = OnnxGraphOps.withoutParameters();
        String a = ops.input("a", 2, 3);
        float[] out = new OrtGraphRunner().feed("a", A23, 2, 3).run(ops, ops.mul(a, ops.scalar(-2f)), 2, 3);
        for (int i = 0; i < A23.length; i++) {
            assertEquals(-2f * A23[i], out[i], TOLERANCE);
        }
    }

    @Test
    void elementwiseFunctionsMatchJava() throws OrtException {
        float[] positive = {1e-6f, 0.1f, 0.5f, 1f, 2f, 40f};
        assertUnary(OnnxGraphOps::neg, A23, x -> -x);
        assertUnary(OnnxGraphOps::exp, A23, Math::exp);
        assertUnary(OnnxGraphOps::log, positive, Math::log);
        assertUnary(OnnxGraphOps::sqrt, positive, Math::sqrt);
        assertUnary(OnnxGraphOps::square, A23, x -> x * x);
        assertUnary(OnnxGraphOps::abs, A23, Math::abs);
        assertUnary(OnnxGraphOps::tanh, A23, Math::tanh);
        assertUnary(OnnxGraphOps::sigmoid, A23, x -> 1 / (1 + Math.exp(-x)));
        assertUnary(OnnxGraphOps::relu, A23, x -> Math.max(0, x));
        assertUnary((ops, a) -> ops.clamp(a, -1f, 1f), A23, x -> Math.max(-1, Math.min(1, x)));
    }

    @Test
    void softplusIsStableAtExtremesAndAccurateInTheLeftTail() throws OrtException {
        float[] values = {-200f, -30f, -12f, -1f, -1e-4f, 0f, 1e-4f, 1f, 30f, 95f, 200f};
        float[] out = runUnary(OnnxGraphOps::softplus, values);
        for (int i = 0; i < values.length; i++) {
            double x = values[i];
            double expected = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            assertEquals(expected, out[i], 1e-6 * Math.abs(expected) + 1e-30, "softplus(" + x + ")");
        }
    }

    @Test
    void log1pIsAccurateForTinyArguments() throws OrtException {
        float[] values = {1e-12f, -1e-9f, 3e-8f, 1e-6f, -0.5f, 0f, 0.25f, 7f, 1e4f};
        float[] out = runUnary(OnnxGraphOps::log1p, values);
        for (int i = 0; i < values.length; i++) {
            double expected = Math.log1p(values[i]);
            double relative = Math.abs(out[i] - expected) / Math.max(Math.abs(expected), 1e-30);
            assertTrue(relative < 1e-6, "log1p(" + values[i] + ") = " + out[i] + ", expected " + expected);
        }
    }

    @Test
    void comparisonsGiveFloatMasksAndWhereSelects() throws OrtException {
        float[] threshold = {0f, 0.5f, 2f};
        OnnxGraphOps ops = OnnxGraphOps.withoutParameters();
        String a = ops.input("a", 2, 3);
        String t = ops.input("t", 3);
        float[] ge = new OrtGraphRunner().feed("a", A23, 2, 3).feed("t", threshold, 3)
                .run(ops, ops.greaterOrEqual(a, t), 2, 3);
        OnnxGraphOps ops2 = OnnxGraphOps.withoutParameters();
        String a2 = ops2.input("a", 2, 3);
        String t2 = ops2.input("t", 3);
        float[] lt = new OrtGraphRunner().feed("a", A23, 2, 3).feed("t", threshold, 3)
                .run(ops2, ops2.less(a2, t2), 2, 3);
        OnnxGraphOps ops3 = OnnxGraphOps.withoutParameters();
        String a3 = ops3.input("a", 2, 3);
        String t3 = ops3.input("t", 3);
        float[] chosen = new OrtGraphRunner().feed("a", A23, 2, 3).feed("t", threshold, 3)
                .run(ops3, ops3.where(ops3.less(a3, t3), a3, ops3.neg(a3)), 2, 3);
        for (int i = 0; i < A23.length; i++) {
            boolean greaterOrEqual = A23[i] >= threshold[i % 3];
            assertEquals(greaterOrEqual ? 1f : 0f, ge[i], "ge at " + i);
            assertEquals(greaterOrEqual ? 0f : 1f, lt[i], "lt at " + i);
            assertEquals(greaterOrEqual ? -A23[i] : A23[i], chosen[i], "where at " + i);
        }
    }

    @Test
    void whereAcceptsAFloatMaskFromOutside() throws OrtException {
        float[] mask = {1, 0, 0, 1, 1, 0};
        OnnxGraphOps ops = OnnxGraphOps.withoutParameters();
        String a = ops.input("a", 2, 3);
        String m = ops.input("m", 2, 3);
        float[] out = new OrtGraphRunner().feed("a", A23, 2, 3).feed("m", mask, 2, 3)
                .run(ops, ops.where(m, a, ops.scalar(9f)), 2, 3);
        for (int i = 0; i < A23.length; i++) {
            assertEquals(mask[i] == 1 ? A23[i] : 9f, out[i]);
        }
    }

    @Test
    void sumReducesOneAxisWithOrWithoutKeepingIt() throws OrtException {
        float[] x = sequence(24);
        float[] keep = runOn(x, new long[] {2, 3, 4}, (ops, a) -> ops.sum(a, 1, true), 2, 1, 4);
        float[] drop = runOn(x, new long[] {2, 3, 4}, (ops, a) -> ops.sum(a, -1, false), 2, 3);
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 4; k++) {
                float expected = 0;
                for (int j = 0; j < 3; j++) {
                    expected += x[i * 12 + j * 4 + k];
                }
                assertEquals(expected, keep[i * 4 + k], TOLERANCE);
            }
            for (int j = 0; j < 3; j++) {
                float expected = 0;
                for (int k = 0; k < 4; k++) {
                    expected += x[i * 12 + j * 4 + k];
                }
                assertEquals(expected, drop[i * 3 + j], TOLERANCE);
            }
        }
    }

    @Test
    void cumsumIsInclusiveAlongTheGivenAxis() throws OrtException {
        float[] x = sequence(24);
        float[] last = runOn(x, new long[] {2, 3, 4}, (ops, a) -> ops.cumsum(a, -1), 2, 3, 4);
        float[] middle = runOn(x, new long[] {2, 3, 4}, (ops, a) -> ops.cumsum(a, 1), 2, 3, 4);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    float alongLast = 0;
                    for (int kk = 0; kk <= k; kk++) {
                        alongLast += x[i * 12 + j * 4 + kk];
                    }
                    float alongMiddle = 0;
                    for (int jj = 0; jj <= j; jj++) {
                        alongMiddle += x[i * 12 + jj * 4 + k];
                    }
                    assertEquals(alongLast, last[i * 12 + j * 4 + k], TOLERANCE);
                    assertEquals(alongMiddle, middle[i * 12 + j * 4 + k], TOLERANCE);
                }
            }
        }
    }

    @Test
    void softmaxNormalisesOneAxis() throws OrtException {
        float[] x = sequence(24);
        float[] out = runOn(x, new long[] {2, 3, 4}, (ops, a) -> ops.softmax(a, -1), 2, 3, 4);
        for (int row = 0; row < 6; row++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 4; k++) {
                max = Math.max(max, x[row * 4 + k]);
            }
            double total = 0;
            for (int k = 0; k < 4; k++) {
                total += Math.exp(x[row * 4 + k] - max);
            }
            for (int k = 0; k < 4; k++) {
                assertEquals(Math.exp(x[row * 4 + k] - max) / total, out[row * 4 + k], TOLERANCE);
            }
        }
    }

    @Test
    void sliceGatherConcatPickColumns() throws OrtException {
        float[] x = sequence(10);
        assertArrayEquals(new float[] {x[1], x[2], x[6], x[7]},
                runOn(x, new long[] {2, 5}, (ops, a) -> ops.slice(a, 1, 1, 3), 2, 2));
        assertArrayEquals(new float[] {x[3], x[4], x[8], x[9]},
                runOn(x, new long[] {2, 5}, (ops, a) -> ops.slice(a, -1, 3, Long.MAX_VALUE), 2, 2));
        assertArrayEquals(new float[] {x[4], x[0], x[2], x[9], x[5], x[7]},
                runOn(x, new long[] {2, 5}, (ops, a) -> ops.gatherColumns(a, new int[] {4, 0, 2}), 2, 3));
        assertArrayEquals(new float[] {x[3], x[4], x[0], x[8], x[9], x[5]},
                runOn(x, new long[] {2, 5}, (ops, a) -> ops.concat(
                        List.of(ops.slice(a, 1, 3, 5), ops.slice(a, 1, 0, 1)), 1), 2, 3));
    }

    @Test
    void reshapeFollowsOnnxZeroAndMinusOne() throws OrtException {
        float[] x = sequence(24);
        assertArrayEquals(x, runOn(x, new long[] {2, 12}, (ops, a) -> ops.reshape(a, 0, 3, -1), 2, 3, 4));
        assertArrayEquals(x, runOn(x, new long[] {2, 3, 4}, (ops, a) -> ops.reshape(a, -1, 12), 2, 12));
        assertArrayEquals(x, runOn(x, new long[] {2, 12}, (ops, a) -> ops.unsqueeze(a, -1), 2, 12, 1));
    }

    @Test
    void padLastAxisAddsConstantColumns() throws OrtException {
        float[] x = sequence(6);
        float[] out = runOn(x, new long[] {2, 1, 3}, (ops, a) -> ops.padLastAxis(a, 1, 2, -7f), 2, 1, 6);
        assertArrayEquals(new float[] {-7, x[0], x[1], x[2], -7, -7, -7, x[3], x[4], x[5], -7, -7}, out);
        assertArrayEquals(new float[] {x[0], x[1], x[2], 1, x[3], x[4], x[5], 1},
                runOn(x, new long[] {2, 3}, (ops, a) -> ops.padLastAxis(a, 0, 1, 1f), 2, 4));
        assertArrayEquals(new float[] {0, 0, x[0], x[1], x[2], x[3], x[4], x[5]},
                runOn(x, new long[] {6}, (ops, a) -> ops.padLastAxis(a, 2, 0, 0f), 8));
    }

    @Test
    void padFollowsADynamicBatch() throws OrtException {
        for (int batch : new int[] {1, 5}) {
            OnnxGraphOps ops = OnnxGraphOps.withoutParameters();
            String a = ops.input("a", -1, 2);
            float[] x = sequence(batch * 2);
            float[] out = new OrtGraphRunner().feed("a", x, batch, 2).run(ops, ops.padLastAxis(a, 1, 1, 3f), -1, 4);
            for (int i = 0; i < batch; i++) {
                assertArrayEquals(new float[] {3, x[2 * i], x[2 * i + 1], 3},
                        Arrays.copyOfRange(out, 4 * i, 4 * i + 4));
            }
        }
    }

    @Test
    void parametersBecomeInitializersAndMatmulMultiplies() throws OrtException {
        float[] w = {1, 2, 3, 4, 5, 6};
        OnnxGraphOps ops = new OnnxGraphOps(
                name -> "w".equals(name) ? new OnnxGraphOps.ParameterValue(w, new long[] {3, 2}) : null);
        String a = ops.input("a", -1, 3);
        String product = ops.matmul(a, ops.parameter("w"));
        assertEquals(ops.parameter("w"), ops.parameter("w"), "a parameter is one initializer");
        float[] out = new OrtGraphRunner().feed("a", A23, 2, 3).run(ops, product, -1, 2);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                float expected = 0;
                for (int k = 0; k < 3; k++) {
                    expected += A23[i * 3 + k] * w[k * 2 + j];
                }
                assertEquals(expected, out[i * 2 + j], TOLERANCE);
            }
        }
    }

    @Test
    void equalConstantsAreShared() {
        OnnxGraphOps ops = OnnxGraphOps.withoutParameters();
        assertEquals(ops.constant(new float[] {1, 2}, 2), ops.constant(new float[] {1, 2}, 2));
        assertNotEquals(ops.constant(new float[] {1, 2}, 2), ops.constant(new float[] {1, 2}, 1, 2));
        assertEquals(ops.scalar(0.5f), ops.scalar(0.5f));
    }

    @Test
    void theBatchAxisIsDynamic() throws OrtException {
        Random random = new Random(3);
        for (int batch : new int[] {1, 7}) {
            float[] x = new float[batch * 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            OnnxGraphOps ops = OnnxGraphOps.withoutParameters();
            String a = ops.input("a", -1, 3);
            float[] out = new OrtGraphRunner().feed("a", x, batch, 3).run(ops, ops.sum(ops.square(a), 1, false), -1);
            assertEquals(batch, out.length);
            for (int i = 0; i < batch; i++) {
                float expected = x[3 * i] * x[3 * i] + x[3 * i + 1] * x[3 * i + 1] + x[3 * i + 2] * x[3 * i + 2];
                assertEquals(expected, out[i], 1e-5f);
            }
        }
    }

    @Test
    void badArgumentsAreRejectedWhileBuilding() {
        OnnxGraphOps ops = OnnxGraphOps.withoutParameters();
        String a = ops.input("a", 2, 3);
        assertThrows(IllegalArgumentException.class, () -> ops.sum(a, 2, false));
        assertThrows(IllegalArgumentException.class, () -> ops.add(a, "nowhere"));
        assertThrows(IllegalArgumentException.class, () -> ops.constant(new float[] {1, 2, 3}, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> ops.parameter("missing"));
        assertThrows(IllegalArgumentException.class, () -> ops.input("a", 1));
        assertThrows(IllegalArgumentException.class, () -> ops.clamp(a, 1f, -1f));
    }

    // --- helpers ---

    private interface Binary {
        String apply(OnnxGraphOps ops, String a, String b);
    }

    private interface Unary {
        String apply(OnnxGraphOps ops, String a);
    }

    private interface JavaBinary {
        float apply(float a, float b);
    }

    private static void assertBinary(Binary op, JavaBinary expected) throws OrtException {
        OnnxGraphOps ops = OnnxGraphOps.withoutParameters();
        String a = ops.input("a", 2, 3);
        String b = ops.input("b", 3);
        float[] out = new OrtGraphRunner().feed("a", A23, 2, 3).feed("b", B3, 3).run(ops, op.apply(ops, a, b), 2, 3);
        for (int i = 0; i < A23.length; i++) {
            assertEquals(expected.apply(A23[i], B3[i % 3]), out[i], TOLERANCE, "element " + i);
        }
    }

    private static void assertUnary(Unary op, float[] values, DoubleUnaryOperator expected) throws OrtException {
        float[] out = runUnary(op, values);
        for (int i = 0; i < values.length; i++) {
            double want = expected.applyAsDouble(values[i]);
            assertEquals(want, out[i], 1e-6 * Math.max(1, Math.abs(want)), "at " + values[i]);
        }
    }

    private static float[] runUnary(Unary op, float[] values) throws OrtException {
        return runOn(values, new long[] {values.length}, op::apply, values.length);
    }

    private static float[] runOn(float[] values, long[] shape, BiFunction<OnnxGraphOps, String, String> op,
            long... outShape) throws OrtException {
        OnnxGraphOps ops = OnnxGraphOps.withoutParameters();
        String a = ops.input("a", shape);
        return new OrtGraphRunner().feed("a", values, shape).run(ops, op.apply(ops, a), outShape);
    }

    private static float[] sequence(int n) {
        Random random = new Random(n);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian() * 2;
        }
        return values;
    }
}
