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
 * A trained chain: one conditional flow per future step (see {@link ChainLayout}), with the layout it was trained
 * for. Export it to ONNX artifacts ({@link #export}) to serve it.
 */
public record FlowChain(ChainLayout layout, List<FlowConfig> configs, List<FlowParameters> parameters,
        List<Map<String, Object>> trainingMetrics) {

    public FlowChain {
        Objects.requireNonNull(layout, "layout");
        configs = List.copyOf(configs);
        parameters = List.copyOf(parameters);
        trainingMetrics = List.copyOf(trainingMetrics);
        if (configs.size() != layout.futureSteps() || parameters.size() != layout.futureSteps()) {
            throw new IllegalArgumentException("need one flow per future step (" + layout.futureSteps() + ")");
        }
        for (FlowConfig config : configs) {
            if (config.dimension() != 2 || config.contextDimension() != layout.contextWidth()) {
                throw new IllegalArgumentException("each step flow must have d = 2 and k = " + layout.contextWidth());
            }
        }
    }

    /** One ONNX artifact per step, named {@code modelName.stepN}. */
    public List<FlowArtifact> export(String modelName, String modelVersion) {
        FlowOnnxExporter exporter = new FlowOnnxExporter();
        List<FlowArtifact> artifacts = new ArrayList<>(configs.size());
        for (int h = 0; h < configs.size(); h++) {
            artifacts.add(exporter.export(new ConditionalFlow(configs.get(h)), parameters.get(h),
                    modelName + ".step" + (h + 1), modelVersion, trainingMetrics.get(h)));
        }
        return artifacts;
    }
}
