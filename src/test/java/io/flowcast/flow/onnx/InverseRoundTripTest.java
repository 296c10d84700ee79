package io.flowcast.flow.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.FlowConfig;
import io.flowcast.serving.OnnxFlowSession;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The sample graph inverts the log_prob graph: x -> z (log_prob model) -> x (sample model). */
class InverseRoundTripTest {

    static Stream<FlowConfig> configs() {
        return TestFlows.contractConfigsWithLu().stream();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void inverseOfForwardRecoversX(FlowConfig config) throws Exception {
        int batch = 400;
        int d = config.dimension();
        int k = config.contextDimension();
        float[] x = TestFlows.randomRows(batch, d, 21);
        float[] c = TestFlows.randomRows(batch, k, 22);
        try (OnnxFlowSession session = OnnxFlowSession.openOnCpu(TestFlows.export(config, 31))) {
            float[] z = session.codes(x, c, batch);
            float[] back = session.sampleFromNoise(c, z, batch);
            double worst = 0;
            for (int i = 0; i < x.length; i++) {
                // Mixing layers spread a row's rounding over its elements: scale by the row's largest value.
                double rowScale = 1;
                for (int j = i - i % d; j < i - i % d + d; j++) {
                    rowScale = Math.max(rowScale, Math.abs(x[j]));
                }
                double error = Math.abs(back[i] - x[i]) / rowScale;
                worst = Math.max(worst, error);
            }
            assertTrue(worst < 1e-4, TestFlows.describe(config) + ": worst round-trip error " + worst);
            float[] logProb = session.logProb(x, c, batch);
            for (float value : logProb) {
                assertTrue(Float.isFinite(value), TestFlows.describe(config) + ": log-density " + value);
            }
            boolean moved = false;
            for (int i = 0; i < x.length; i++) {
                moved |= Math.abs(z[i] - x[i]) > 1e-2;
            }
            assertTrue(moved, "the flow must not be the identity, or the test proves nothing");
            assertEquals(batch, logProb.length);
        }
    }
}
