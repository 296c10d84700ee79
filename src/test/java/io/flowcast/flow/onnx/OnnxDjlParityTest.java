package io.flowcast.flow.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.train.TrainedFlow;
import io.flowcast.serving.OnnxFlowSession;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The served ONNX graphs against the DJL training model on fresh random inputs: the same log-densities, codes
 * and samples (relative difference under 1e-4), for d in {1, 2, 5}, k in {0, 16}, both bases and both couplings,
 * with random far-from-identity parameters.
 */
class OnnxDjlParityTest {

    private static final double TOLERANCE = 1e-4;

    static Stream<FlowConfig> configs() {
        return TestFlows.contractConfigsWithLu().stream();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void onnxMatchesDjl(FlowConfig config) throws Exception {
        ConditionalFlow flow = new ConditionalFlow(config);
        FlowParameters parameters = TestFlows.randomParameters(flow, 1000 + config.seed());
        FlowArtifact artifact = new FlowOnnxExporter().export(flow, parameters, "parity", "1", Map.of());
        int batch = 500;
        int d = config.dimension();
        int k = config.contextDimension();
        long inputSeed = System.nanoTime();
        float[] x = TestFlows.randomRows(batch, d, inputSeed);
        float[] c = TestFlows.randomRows(batch, k, inputSeed + 1);
        String name = TestFlows.describe(config) + " " + config.mixing() + " (input seed " + inputSeed + ")";
        try (OnnxFlowSession onnx = OnnxFlowSession.openOnCpu(artifact);
                TrainedFlow djl = new TrainedFlow(config, parameters)) {
            double logProbError = TestFlows.maxRelativeError(onnx.logProb(x, c, batch), djl.logProb(x, c, batch));
            assertTrue(logProbError < TOLERANCE, name + ": log_prob differs by " + logProbError);
            double codeError = TestFlows.maxRelativeError(onnx.codes(x, c, batch), djl.encode(x, c, batch));
            assertTrue(codeError < TOLERANCE, name + ": codes differ by " + codeError);
            int contexts = 20;
            float[] someContexts = java.util.Arrays.copyOf(c, contexts * k);
            double sampleError = TestFlows.maxRelativeError(onnx.sample(someContexts, contexts, 10, inputSeed),
                    djl.sample(someContexts, contexts, 10, inputSeed));
            assertTrue(sampleError < TOLERANCE, name + ": samples differ by " + sampleError);
        }
    }
}
