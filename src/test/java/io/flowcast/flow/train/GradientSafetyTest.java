package io.flowcast.flow.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.flowcast.flow.BaseKind;
import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.CouplingKind;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.MixingKind;
import io.flowcast.flow.RandomParameters;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Inputs at the spline's edges and far in its tails must leave every gradient finite. */
class GradientSafetyTest {

    @ParameterizedTest
    @EnumSource(CouplingKind.class)
    void gradientsStayFiniteAtTheEdgesAndInTheTails(CouplingKind coupling) {
        FlowConfig config = FlowConfig.builder(3, 2).coupling(coupling).base(BaseKind.STUDENT_T)
                .mixing(MixingKind.LU).couplings(3).hiddenWidth(16).tailBound(3f).build();
        ConditionalFlow flow = new ConditionalFlow(config);
        FlowParameters parameters = RandomParameters.of(flow, 8, 0.5f)
                .with(ConditionalFlow.X_MEAN, new float[3]).with(ConditionalFlow.X_STD, new float[] {1, 1, 1});
        float[] x = {3f, -3f, 0f, 1e4f, -1e4f, 2.9999998f, -3.0000002f, 1e-30f, 50f, 0, 0, 0};
        float[] c = {1e3f, -1e3f, 0, 0, 5, 5, -2, 7};
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> arrays = DjlParameters.toArrays(manager, parameters, DataType.FLOAT32, true);
            DjlOps ops = new DjlOps(manager, arrays);
            NDArray xs = manager.create(x).reshape(4, 3);
            NDArray cs = manager.create(c).reshape(4, 2);
            NDArray loss = ThreadAutograd.lossAndGradients(manager,
                    () -> flow.logProb(ops, xs, cs).sum().neg());
            assertTrue(Float.isFinite(loss.getFloat()), "loss " + loss.getFloat());
            for (Map.Entry<String, NDArray> entry : arrays.entrySet()) {
                if (!entry.getValue().hasGradient()) {
                    continue;
                }
                for (float g : entry.getValue().getGradient().toFloatArray()) {
                    assertTrue(Float.isFinite(g), "gradient of " + entry.getKey() + " is " + g);
                }
            }
        }
    }
}
