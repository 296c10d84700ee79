package io.flowcast.flow.onnx;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.flowcast.flow.BaseKind;
import io.flowcast.flow.BaseNoise;
import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowOutput;
import io.flowcast.flow.FlowParameters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Exports a trained {@link ConditionalFlow} as a {@link FlowArtifact}: the flow math is run once against
 * {@link OnnxGraphOps} for the log-density and once for the inverse pass, giving two ONNX models whose metadata
 * repeats the manifest (scaler, feature names, model name and version, base, training metrics) so that a bare
 * {@code .onnx} file still says what it is.
 *
 * <p>Graph interface, batch axis dynamic: {@code log_prob(x [B,d], c [B,k]) -> log_prob [B], z [B,d]} and
 * {@code sample(c [B,k], noise [B,d]) -> x [B,d]}. When k = 0 the graphs have no {@code c} input at all (ONNX
 * Runtime handles zero-width tensors poorly, and the flow ignores the context then).
 */
public final class FlowOnnxExporter {

    public static final String INPUT_X = "x";
    public static final String INPUT_CONTEXT = "c";
    public static final String INPUT_NOISE = "noise";
    public static final String OUTPUT_LOG_PROB = "log_prob";
    /** The codes z = forward(x) [B,d], a second output of the log_prob graph (per-feature attribution). */
    public static final String OUTPUT_CODES = "z";
    public static final String OUTPUT_SAMPLE = "x_sample";

    /** Keys of the ONNX models' metadata_props. */
    public static final String META_PREFIX = "flowcast.";

    /**
     * @param trainingMetrics what training reported (numbers, strings, lists of numbers); stored as JSON
     */
    public FlowArtifact export(ConditionalFlow flow, FlowParameters parameters, String modelName, String modelVersion,
            Map<String, ?> trainingMetrics) {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(parameters, "parameters");
        requireNonBlank(modelName, "modelName");
        requireNonBlank(modelVersion, "modelVersion");
        parameters.checkMatches(flow.parameters());
        FlowConfig config = flow.config();
        FlowManifest manifest = new FlowManifest(FlowArtifact.FORMAT_VERSION, modelName, modelVersion, config,
                OnnxGraphOps.OPSET, scaler(config, parameters),
                config.base() == BaseKind.STUDENT_T ? BaseNoise.degreesOfFreedom(parameters) : null,
                metricsOf(trainingMetrics == null ? Map.of() : trainingMetrics), Map.of());
        Map<String, String> metadata = metadata(manifest);
        byte[] logProb = OnnxModels.model(logProbGraph(flow, parameters), metadata).toByteArray();
        byte[] sample = OnnxModels.model(sampleGraph(flow, parameters), metadata).toByteArray();
        return FlowArtifact.assemble(manifest, logProb, sample, parameters);
    }

    /**
     * Training metrics as plain JSON values: any Jackson-writable object (a map, or a report record such as
     * flow.train's TrainingReport) becomes the map a reloaded artifact will hold, so save/reload compares equal.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> metricsOf(Object metrics) {
        try {
            Object plain = FlowArtifact.JSON.readValue(FlowArtifact.JSON.writeValueAsBytes(metrics), Object.class);
            if (!(plain instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("training metrics must be a JSON object, got " + plain);
            }
            return new LinkedHashMap<>((Map<String, Object>) map);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("training metrics are not JSON-writable: " + e.getMessage(), e);
        }
    }

    /** The graph log_prob(x, c) -> log_prob, z. */
    public static OnnxMl.GraphProto logProbGraph(ConditionalFlow flow, FlowParameters parameters) {
        FlowConfig config = flow.config();
        OnnxGraphOps ops = new OnnxGraphOps(source(parameters));
        String x = ops.input(INPUT_X, -1, config.dimension());
        String c = config.contextDimension() > 0 ? ops.input(INPUT_CONTEXT, -1, config.contextDimension()) : null;
        FlowOutput<String> forward = flow.forward(ops, x, c);
        ops.output(ops.add(flow.baseLogProb(ops, forward.z()), forward.logDet()), OUTPUT_LOG_PROB, -1);
        ops.output(forward.z(), OUTPUT_CODES, -1, config.dimension());
        return ops.graph("flowcast_log_prob");
    }

    /** The graph sample(c, noise) -> x_sample: the inverse pass applied to base noise drawn by the caller. */
    public static OnnxMl.GraphProto sampleGraph(ConditionalFlow flow, FlowParameters parameters) {
        FlowConfig config = flow.config();
        OnnxGraphOps ops = new OnnxGraphOps(source(parameters));
        String c = config.contextDimension() > 0 ? ops.input(INPUT_CONTEXT, -1, config.contextDimension()) : null;
        String noise = ops.input(INPUT_NOISE, -1, config.dimension());
        ops.output(flow.inverse(ops, noise, c), OUTPUT_SAMPLE, -1, config.dimension());
        return ops.graph("flowcast_sample");
    }

    static OnnxGraphOps.ParameterSource source(FlowParameters parameters) {
        return name -> parameters.contains(name)
                ? new OnnxGraphOps.ParameterValue(parameters.values(name), parameters.shape(name))
                : null;
    }

    private static FlowManifest.Scaler scaler(FlowConfig config, FlowParameters parameters) {
        boolean context = config.contextDimension() > 0;
        return new FlowManifest.Scaler(
                parameters.values(ConditionalFlow.X_MEAN), parameters.values(ConditionalFlow.X_STD),
                context ? parameters.values(ConditionalFlow.C_MEAN) : new float[0],
                context ? parameters.values(ConditionalFlow.C_STD) : new float[0]);
    }

    /** The manifest, flattened into string metadata (JSON for structured values). */
    static Map<String, String> metadata(FlowManifest manifest) {
        Map<String, String> metadata = new LinkedHashMap<>();
        FlowConfig config = manifest.config();
        metadata.put(META_PREFIX + "format_version", Integer.toString(manifest.formatVersion()));
        metadata.put(META_PREFIX + "model_name", manifest.modelName());
        metadata.put(META_PREFIX + "model_version", manifest.modelVersion());
        metadata.put(META_PREFIX + "dimension", Integer.toString(config.dimension()));
        metadata.put(META_PREFIX + "context_dimension", Integer.toString(config.contextDimension()));
        metadata.put(META_PREFIX + "feature_names", json(config.featureNames()));
        metadata.put(META_PREFIX + "context_names", json(config.contextNames()));
        metadata.put(META_PREFIX + "base", config.base().name());
        if (manifest.degreesOfFreedom() != null) {
            metadata.put(META_PREFIX + "student_t_df", json(manifest.degreesOfFreedom()));
        }
        metadata.put(META_PREFIX + "scaler", json(manifest.scaler()));
        metadata.put(META_PREFIX + "config", json(config));
        metadata.put(META_PREFIX + "training_metrics", json(manifest.trainingMetrics()));
        return metadata;
    }

    private static String json(Object value) {
        try {
            return FlowArtifact.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write metadata as JSON: " + e.getMessage(), e);
        }
    }

    private static void requireNonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
