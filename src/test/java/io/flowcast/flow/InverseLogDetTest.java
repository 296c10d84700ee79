package io.flowcast.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.flowcast.flow.train.DjlOps;
import io.flowcast.flow.train.DjlParameters;
import io.flowcast.flow.train.TrainedFlow;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The inverse pass's log-density (no forward pass) equals the forward pass's log-density at the decoded point. */
class InverseLogDetTest {

    @ParameterizedTest(name = "{0} d={1} k={2} {3}")
    @CsvSource({"SPLINE, 2, 6, PERMUTATION", "SPLINE, 3, 0, LU", "AFFINE, 2, 4, PERMUTATION", "AFFINE, 3, 5, LU"})
    void inverseLogDetMatchesTheForwardLogDensity(CouplingKind coupling, int d, int k, MixingKind mixing) {
        FlowConfig config = FlowConfig.builder(d, k).coupling(coupling).mixing(mixing).couplings(3).hiddenWidth(16)
                .seed(7).build();
        ConditionalFlow flow = new ConditionalFlow(config);
        FlowParameters parameters = RandomParameters.of(flow, 17 + d, 0.5f);
        int batch = 300;
        SplittableRandom random = new SplittableRandom(3);
        float[] z = new float[batch * d];
        for (int i = 0; i < z.length; i++) {
            // Mostly inside the spline box, some codes in the identity tails.
            z[i] = (float) (random.nextGaussian() * (i % 13 == 0 ? 6 : 1));
        }
        float[] c = new float[batch * k];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) random.nextGaussian();
        }
        try (TrainedFlow trained = new TrainedFlow(config, parameters);
                NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> arrays = DjlParameters.toArrays(manager, parameters, DataType.FLOAT32, false);
            DjlOps ops = new DjlOps(manager, arrays);
            NDArray zs = manager.create(z, new Shape(batch, d));
            NDArray cs = k == 0 ? null : manager.create(c, new Shape(batch, k));
            FlowOutput<NDArray> drawn = flow.inverseWithLogDet(ops, zs, cs);
            float[] x = drawn.z().toFloatArray();
            float[] fromInverse = ops.add(flow.baseLogProb(ops, zs), drawn.logDet()).toFloatArray();
            float[] fromForward = trained.logProb(x, c, batch);
            assertTrue(!java.util.Arrays.equals(fromInverse, new float[batch]), "log-densities must not be all zero");
            float[] decoded = trained.decode(z, c, batch);
            for (int i = 0; i < x.length; i++) {
                assertEquals(decoded[i], x[i], 1e-5 * Math.max(1, Math.abs(decoded[i])), "sample " + i);
            }
            for (int row = 0; row < batch; row++) {
                assertEquals(fromForward[row], fromInverse[row], 1e-3 * Math.max(1, Math.abs(fromForward[row])),
                        "row " + row);
            }
        }
    }
}
