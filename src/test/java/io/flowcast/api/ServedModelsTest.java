package io.flowcast.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.GaussianDensity;
import io.flowcast.flow.onnx.TestFlows;
import io.flowcast.serving.OnnxFlowSession;
import io.flowcast.serving.StreamModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a served model runs, as the API and the gauges report it: the session's real provider, or the JVM. */
class ServedModelsTest {

    private static final ContextSpec ONE_STEP = new ContextSpec(1, false); // 2 features: a context of 2
    private static final HeldOutCalibration CALIBRATION = HeldOutCalibration.of(new double[] {1, 2, 3});

    @Test
    void anOnnxSessionReportsTheProviderItRunsOn() throws Exception {
        FlowConfig config = FlowConfig.builder(2, 2).couplings(2).hiddenWidth(8).bins(4).tailBound(3f).seed(3).build();
        try (OnnxFlowSession session = OnnxFlowSession.openOnCpu(TestFlows.export(config, 3))) {
            StreamModel model = new StreamModel("flow", 2, List.of("a", "b"), ONE_STEP, session, CALIBRATION);
            assertEquals("cpu", ServedModels.provider(model));
        }
    }

    @Test
    void aDensityTheJvmEvaluatesReportsJvm() {
        float[] x = {0, 1, 1, 3, 2, 4, 3, 8, 4, 9};
        float[] c = {0, 0, 1, 1, 2, 2, 3, 3, 4, 5};
        GaussianDensity gaussian = GaussianDensity.fit(x, c, 5, 2, 2, 1e-3);
        StreamModel model = new StreamModel("gauss", 1, List.of("a", "b"), ONE_STEP, gaussian, CALIBRATION);
        assertEquals("jvm", ServedModels.provider(model));
    }
}
