package io.flowcast.trajectory;

import ai.onnx.proto.OnnxMl;
import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.FlowOutput;
import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.onnx.OnnxGraphOps;
import io.flowcast.flow.onnx.OnnxModels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole chain as three ONNX graphs, so that a frame's forecast is one runtime call instead of 24 (two per step
 * flow): the flows are written with the same flow math ({@link ConditionalFlow} against {@link OnnxGraphOps}) into
 * one graph each, their parameters kept apart by a name prefix ({@link ScopedOps}). Nothing is approximated: the
 * step log-densities are each flow's exact log-density (base log-density plus its summed log-dets), as in the
 * per-step artifacts.
 *
 * <ul>
 *   <li>{@link #FORECAST}: {@code trend [B,f], start [B,4] (u_-1, u_0), noise [B,2H] -> positions [B,2H] (u_1..u_H),
 *       step_log_prob [B,H]}: ancestral sampling, step n's flow inverted on its noise columns conditioned on the
 *       trend and the sampled previous steps; each sample's exact log-density is the base log-density of its code
 *       plus the forward log-det at the sample, taken from the inverse pass
 *       ({@link ConditionalFlow#inverseWithLogDet}), so no forward pass runs;</li>
 *   <li>{@link #PATH}: {@code trend [B,f], delta [B,2H], motion [B,4H] -> step_log_prob [B,H]}: the exact step
 *       log-densities of given futures (teacher forcing; motion = previous position and displacement per step);</li>
 *   <li>{@link #MARGINAL}: {@code trend [B,f], residual [B,2H] -> log_prob [B,H]}: each horizon's marginal flow at
 *       its own query residual.</li>
 * </ul>
 */
public final class ChainGraphs {

    public static final String FORECAST = "forecast";
    public static final String PATH = "path";
    public static final String MARGINAL = "marginal";

    public static final String INPUT_TREND = "trend";
    public static final String INPUT_START = "start";
    public static final String INPUT_NOISE = "noise";
    public static final String INPUT_DELTA = "delta";
    public static final String INPUT_MOTION = "motion";
    public static final String INPUT_RESIDUAL = "residual";
    public static final String OUTPUT_POSITIONS = "positions";
    public static final String OUTPUT_STEP_LOG_PROB = "step_log_prob";
    public static final String OUTPUT_LOG_PROB = "log_prob";

    /**
     * The three models' bytes, with the horizon count and trend width they were built for.
     *
     * @param forecastPerAgent whether the forecast graph is the {@link SamplingGraph} (trend [agents, f] and an
     *                         int64 {@code agent} input naming each row's agent) rather than the generic one
     *                         (trend [rows, f])
     */
    public record Models(int horizons, int featureWidth, byte[] forecast, byte[] path, byte[] marginal,
            boolean forecastPerAgent) {

        /** Models with the generic forecast graph. */
        public Models(int horizons, int featureWidth, byte[] forecast, byte[] path, byte[] marginal) {
            this(horizons, featureWidth, forecast, path, marginal, false);
        }

        /** The forecast graph's node count (what a runtime call's fixed cost follows). */
        public int forecastNodes() {
            try {
                return OnnxMl.ModelProto.parseFrom(forecast).getGraph().getNodeCount();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException("unreadable forecast graph", e);
            }
        }
    }

    private final FlowChain chain;
    private final int horizons;
    private final int trendWidth;

    public ChainGraphs(FlowChain chain) {
        this.chain = chain;
        this.horizons = chain.layout().futureSteps();
        this.trendWidth = chain.layout().featureWidth();
    }

    /**
     * The served form: the forecast is the {@link SamplingGraph} where the chain's flows have its form (d = 2
     * spline couplings, permutation mixing, Gaussian base: the trainer's default), else the generic graph.
     */
    public Models export(String modelName, String modelVersion) {
        if (!SamplingGraph.supports(chain)) {
            return exportGeneric(modelName, modelVersion);
        }
        Map<String, String> metadata = metadata(modelName, modelVersion);
        return new Models(horizons, trendWidth, bytes(SamplingGraph.graph(chain), metadata),
                bytes(pathGraph(), metadata), bytes(marginalGraph(), metadata), true);
    }

    /** The three graphs with the generic forecast graph (the flow math recorded one operation at a time). */
    public Models exportGeneric(String modelName, String modelVersion) {
        Map<String, String> metadata = metadata(modelName, modelVersion);
        return new Models(horizons, trendWidth, bytes(forecastGraph(), metadata), bytes(pathGraph(), metadata),
                bytes(marginalGraph(), metadata), false);
    }

    private Map<String, String> metadata(String modelName, String modelVersion) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("flowcast.model_name", modelName);
        metadata.put("flowcast.model_version", modelVersion);
        metadata.put("flowcast.chain.horizons", Integer.toString(horizons));
        metadata.put("flowcast.chain.feature_width", Integer.toString(trendWidth));
        metadata.putAll(chain.layout().metadata());
        return metadata;
    }

    /** The layout the models were built for, read from the forecast graph's metadata ({@link ChainLayout#fromMetadata}). */
    public static ChainLayout layoutOf(Models models) {
        try {
            Map<String, String> metadata = new LinkedHashMap<>();
            for (OnnxMl.StringStringEntryProto entry
                    : OnnxMl.ModelProto.parseFrom(models.forecast()).getMetadataPropsList()) {
                metadata.put(entry.getKey(), entry.getValue());
            }
            return ChainLayout.fromMetadata(metadata);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("unreadable forecast graph", e);
        }
    }

    private static byte[] bytes(OnnxMl.GraphProto graph, Map<String, String> metadata) {
        return OnnxModels.model(graph, metadata).toByteArray();
    }

    OnnxMl.GraphProto forecastGraph() {
        OnnxGraphOps ops = newOps();
        String trend = ops.input(INPUT_TREND, -1, trendWidth);
        String start = ops.input(INPUT_START, -1, 4);
        String noise = ops.input(INPUT_NOISE, -1, 2L * horizons);
        String beforePrevious = ops.slice(start, 1, 0, 2);
        String previous = ops.slice(start, 1, 2, 4);
        String two = ops.scalar(2f);
        List<String> positions = new ArrayList<>();
        List<String> logProbs = new ArrayList<>();
        for (int h = 0; h < horizons; h++) {
            ScopedOps<String> scoped = new ScopedOps<>(ops, stepPrefix(h));
            ConditionalFlow flow = new ConditionalFlow(chain.stepConfigs().get(h));
            String context = ops.concat(List.of(trend, previous, ops.sub(previous, beforePrevious)), 1);
            String code = ops.slice(noise, 1, 2L * h, 2L * h + 2);
            FlowOutput<String> drawn = flow.inverseWithLogDet(scoped, code, context);
            String delta = drawn.z();
            logProbs.add(ops.unsqueeze(ops.add(flow.baseLogProb(scoped, code), drawn.logDet()), 1));
            String next = ops.sub(ops.add(delta, ops.mul(two, previous)), beforePrevious);
            positions.add(next);
            beforePrevious = previous;
            previous = next;
        }
        ops.output(ops.concat(positions, 1), OUTPUT_POSITIONS, -1, 2L * horizons);
        ops.output(ops.concat(logProbs, 1), OUTPUT_STEP_LOG_PROB, -1, horizons);
        return ops.graph("flowcast_chain_forecast");
    }

    OnnxMl.GraphProto pathGraph() {
        OnnxGraphOps ops = newOps();
        String trend = ops.input(INPUT_TREND, -1, trendWidth);
        String delta = ops.input(INPUT_DELTA, -1, 2L * horizons);
        String motion = ops.input(INPUT_MOTION, -1, 4L * horizons);
        List<String> logProbs = new ArrayList<>();
        for (int h = 0; h < horizons; h++) {
            ScopedOps<String> scoped = new ScopedOps<>(ops, stepPrefix(h));
            ConditionalFlow flow = new ConditionalFlow(chain.stepConfigs().get(h));
            String context = ops.concat(List.of(trend, ops.slice(motion, 1, 4L * h, 4L * h + 4)), 1);
            logProbs.add(ops.unsqueeze(flow.logProb(scoped, ops.slice(delta, 1, 2L * h, 2L * h + 2), context), 1));
        }
        ops.output(ops.concat(logProbs, 1), OUTPUT_STEP_LOG_PROB, -1, horizons);
        return ops.graph("flowcast_chain_path");
    }

    OnnxMl.GraphProto marginalGraph() {
        OnnxGraphOps ops = newOps();
        String trend = ops.input(INPUT_TREND, -1, trendWidth);
        String residual = ops.input(INPUT_RESIDUAL, -1, 2L * horizons);
        List<String> logProbs = new ArrayList<>();
        for (int h = 0; h < horizons; h++) {
            ScopedOps<String> scoped = new ScopedOps<>(ops, marginalPrefix(h));
            ConditionalFlow flow = new ConditionalFlow(chain.marginalConfigs().get(h));
            logProbs.add(ops.unsqueeze(flow.logProb(scoped, ops.slice(residual, 1, 2L * h, 2L * h + 2), trend), 1));
        }
        ops.output(ops.concat(logProbs, 1), OUTPUT_LOG_PROB, -1, horizons);
        return ops.graph("flowcast_chain_marginal");
    }

    private static String stepPrefix(int h) {
        return "step" + (h + 1) + "/";
    }

    private static String marginalPrefix(int h) {
        return "marginal" + (h + 1) + "/";
    }

    /** A graph builder that finds "stepN/name" in step flow N's parameters and "marginalN/name" in marginal N's. */
    private OnnxGraphOps newOps() {
        Map<String, FlowParameters> byPrefix = new HashMap<>();
        for (int h = 0; h < horizons; h++) {
            byPrefix.put(stepPrefix(h), chain.stepParameters().get(h));
            byPrefix.put(marginalPrefix(h), chain.marginalParameters().get(h));
        }
        return new OnnxGraphOps(scopedName -> {
            int slash = scopedName.indexOf('/');
            FlowParameters parameters = slash < 0 ? null : byPrefix.get(scopedName.substring(0, slash + 1));
            String name = slash < 0 ? scopedName : scopedName.substring(slash + 1);
            return parameters != null && parameters.contains(name)
                    ? new OnnxGraphOps.ParameterValue(parameters.values(name), parameters.shape(name))
                    : null;
        });
    }
}
