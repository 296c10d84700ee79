package io.flowcast.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.flowcast.flow.train.DjlOps;
import io.flowcast.flow.train.DjlParameters;
import io.flowcast.flow.train.TrainedFlow;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InvertibilityTest {

    static Stream<Arguments> configurations() {
        List<Arguments> all = new ArrayList<>();
        for (CouplingKind coupling : CouplingKind.values()) {
            for (int d : new int[] {1, 2, 5}) {
                for (int k : new int[] {0, 16}) {
                    for (BaseKind base : BaseKind.values()) {
                        MixingKind mixing = (d + k) % 3 == 2 ? MixingKind.LU : MixingKind.PERMUTATION;
                        all.add(Arguments.of(coupling, d, k, base, mixing));
                    }
                }
            }
        }
        all.add(Arguments.of(CouplingKind.SPLINE, 5, 16, BaseKind.STUDENT_T, MixingKind.LU));
        all.add(Arguments.of(CouplingKind.SPLINE, 2, 0, BaseKind.GAUSSIAN, MixingKind.LU));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} d={1} k={2} {3} {4}")
    @MethodSource("configurations")
    void inverseOfForwardRecoversTheInput(CouplingKind coupling, int d, int k, BaseKind base, MixingKind mixing) {
        FlowConfig config = FlowConfig.builder(d, k).coupling(coupling).base(base).mixing(mixing)
                .couplings(3).hiddenWidth(16).seed(d * 100L + k).build();
        ConditionalFlow flow = new ConditionalFlow(config);
        FlowParameters parameters = RandomParameters.of(flow, 11 + d + k, 0.5f);
        int batch = 400;
        SplittableRandom random = new SplittableRandom(5);
        float[] x = new float[batch * d];
        for (int i = 0; i < x.length; i++) {
            // Mostly inside the spline box, some rows far in the identity tails.
            x[i] = (float) (random.nextGaussian() * (i % 17 == 0 ? 12 : 2.5));
        }
        float[] c = new float[batch * k];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) random.nextGaussian();
        }
        try (TrainedFlow trained = new TrainedFlow(config, parameters)) {
            float[] z = trained.encode(x, c, batch);
            float[] back = trained.decode(z, c, batch);
            double worst = 0;
            boolean changed = false;
            for (int i = 0; i < x.length; i++) {
                assertTrue(Float.isFinite(z[i]), "z must be finite");
                // Mixing layers spread a row's rounding over its elements: scale by the row's largest value.
                double rowScale = 1;
                for (int j = i - i % d; j < i - i % d + d; j++) {
                    rowScale = Math.max(rowScale, Math.abs(x[j]));
                }
                worst = Math.max(worst, Math.abs(back[i] - x[i]) / rowScale);
                changed |= Math.abs(z[i] - x[i]) > 1e-2;
            }
            assertTrue(changed, "random parameters must move the codes away from x");
            assertTrue(worst < 1e-4, "round-trip error " + worst);
            float[] logProb = trained.logProb(x, c, batch);
            for (float value : logProb) {
                assertTrue(Float.isFinite(value));
            }
            assertEquals(batch, logProb.length);
        }
    }

    @ParameterizedTest(name = "{0} d={1} k={2} {3} {4}")
    @MethodSource("configurations")
    void roundTripIsExactInDoublePrecision(CouplingKind coupling, int d, int k, BaseKind base, MixingKind mixing) {
        FlowConfig config = FlowConfig.builder(d, k).coupling(coupling).base(base).mixing(mixing)
                .couplings(3).hiddenWidth(16).seed(d * 100L + k).build();
        ConditionalFlow flow = new ConditionalFlow(config);
        FlowParameters parameters = RandomParameters.of(flow, 11 + d + k, 0.5f);
        int batch = 400;
        SplittableRandom random = new SplittableRandom(5);
        double[] x = new double[batch * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian() * (i % 17 == 0 ? 12 : 2.5);
        }
        double[] c = new double[batch * k];
        for (int i = 0; i < c.length; i++) {
            c[i] = random.nextGaussian();
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            DjlOps ops = new DjlOps(manager, DjlParameters.toArrays(manager, parameters, DataType.FLOAT64, false),
                    DataType.FLOAT64);
            NDArray xs = manager.create(x).reshape(batch, d);
            NDArray cs = k == 0 ? null : manager.create(c).reshape(batch, k);
            double[] back = flow.inverse(ops, flow.forward(ops, xs, cs).z(), cs).toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], back[i], 1e-9 * Math.max(1, Math.abs(x[i])));
            }
        }
    }
}
