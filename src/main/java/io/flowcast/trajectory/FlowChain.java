package io.flowcast.trajectory;

import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.onnx.FlowArtifact;
import io.flowcast.flow.onnx.FlowOnnxExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained chain (see {@link ChainLayout}): one path flow per future step, p(u_n | u_{n-1}, u_{n-2}, history), and
 * one marginal flow per horizon, p(u_n | history). Export it to ONNX artifacts ({@link #export}) to serve it.
 */
public record FlowChain(ChainLayout layout, List<FlowConfig> stepConfigs, List<FlowParameters> stepParameters,
        List<FlowConfig> marginalConfigs, List<FlowParameters> marginalParameters,
        List<Map<String, Object>> trainingMetrics) {

    /** The served form: ONNX artifacts of the path flows and of the marginal flows, one per horizon each. */
    public record Artifacts(List<FlowArtifact> steps, List<FlowArtifact> marginals) {
    }

    public FlowChain {
        Objects.requireNonNull(layout, "layout");
        stepConfigs = List.copyOf(stepConfigs);
        stepParameters = List.copyOf(stepParameters);
        marginalConfigs = List.copyOf(marginalConfigs);
        marginalParameters = List.copyOf(marginalParameters);
        trainingMetrics = List.copyOf(trainingMetrics);
        int h = layout.futureSteps();
        if (stepConfigs.size() != h || stepParameters.size() != h || marginalConfigs.size() != h
                || marginalParameters.size() != h) {
            throw new IllegalArgumentException("need one path flow and one marginal flow per future step (" + h + ")");
        }
        for (FlowConfig config : stepConfigs) {
            check(config, layout.contextWidth());
        }
        for (FlowConfig config : marginalConfigs) {
            check(config, layout.featureWidth());
        }
    }

    private static void check(FlowConfig config, int context) {
        if (config.dimension() != 2 || config.contextDimension() != context) {
            throw new IllegalArgumentException("a chain flow must have d = 2 and k = " + context);
        }
    }

    /** ONNX artifacts named {@code modelName.stepN} and {@code modelName.marginalN}. */
    public Artifacts export(String modelName, String modelVersion) {
        FlowOnnxExporter exporter = new FlowOnnxExporter();
        List<FlowArtifact> steps = new ArrayList<>();
        List<FlowArtifact> marginals = new ArrayList<>();
        for (int h = 0; h < stepConfigs.size(); h++) {
            steps.add(exporter.export(new ConditionalFlow(stepConfigs.get(h)), stepParameters.get(h),
                    modelName + ".step" + (h + 1), modelVersion, Map.of()));
            marginals.add(exporter.export(new ConditionalFlow(marginalConfigs.get(h)), marginalParameters.get(h),
                    modelName + ".marginal" + (h + 1), modelVersion, Map.of()));
        }
        return new Artifacts(List.copyOf(steps), List.copyOf(marginals));
    }
}
