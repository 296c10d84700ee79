package io.flowcast.trajectory;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The path graph ({@link ChainGraphs#PATH}) cut into one graph per step: step n's graph holds only the nodes that
 * step n's log-density depends on (its flow and the input slices it reads), with the same inputs as the path graph
 * and {@code step_log_prob [B, 1]} as output.
 *
 * <p>Why: the exact score of a newly observed position needs one step's density per agent (the step it fell on),
 * while the path graph evaluates all H step flows for every row; a runtime call costs about half a microsecond per
 * node before any arithmetic, so at a frame's few agents the whole graph costs H times the one step it is asked
 * for. The cut keeps the path graph's nodes as they are, so a step's value is the path graph's, and it works on any
 * export, old ones included (the path graph written by {@link ChainGraphs} ends in one Concat of the H steps,
 * renamed to the output).
 */
final class StepScoreGraphs {

    private StepScoreGraphs() {
    }

    /**
     * The H step graphs cut from a path model's bytes, or empty when the graph does not have the expected form (its
     * output the concatenation of H per-step columns), in which case the caller keeps the whole path graph.
     */
    static Optional<List<byte[]>> cut(byte[] pathModel, int horizons) {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(pathModel);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return Optional.empty();
        }
        OnnxMl.GraphProto graph = model.getGraph();
        if (graph.getOutputCount() != 1) {
            return Optional.empty();
        }
        String output = graph.getOutput(0).getName();
        OnnxMl.NodeProto concat = producerThroughIdentity(graph, output);
        if (concat == null || !concat.getOpType().equals("Concat") || concat.getInputCount() != horizons) {
            return Optional.empty();
        }
        List<byte[]> steps = new ArrayList<>(horizons);
        for (int h = 0; h < horizons; h++) {
            steps.add(model.toBuilder().setGraph(stepGraph(graph, concat.getInput(h), output)).build().toByteArray());
        }
        return Optional.of(steps);
    }

    /** The node producing {@code tensor}, looking through Identity renames; null if none. */
    private static OnnxMl.NodeProto producerThroughIdentity(OnnxMl.GraphProto graph, String tensor) {
        String wanted = tensor;
        for (int hops = 0; hops <= graph.getNodeCount(); hops++) {
            OnnxMl.NodeProto producer = producer(graph, wanted);
            if (producer == null || !producer.getOpType().equals("Identity")) {
                return producer;
            }
            wanted = producer.getInput(0);
        }
        return null;
    }

    private static OnnxMl.NodeProto producer(OnnxMl.GraphProto graph, String tensor) {
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (node.getOutputList().contains(tensor)) {
                return node;
            }
        }
        return null;
    }

    /** The graph of the nodes {@code column} depends on, with {@code column} renamed to the path graph's output. */
    private static OnnxMl.GraphProto stepGraph(OnnxMl.GraphProto graph, String column, String outputName) {
        Set<String> needed = new HashSet<>(Set.of(column));
        List<OnnxMl.NodeProto> live = new ArrayList<>();
        for (int i = graph.getNodeCount() - 1; i >= 0; i--) {
            OnnxMl.NodeProto node = graph.getNode(i);
            if (node.getOutputList().stream().anyMatch(needed::contains)) {
                live.add(node);
                needed.addAll(node.getInputList());
            }
        }
        Collections.reverse(live);
        live.add(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName("step_output")
                .addInput(column).addOutput(outputName).build());
        OnnxMl.ValueInfoProto declared = graph.getOutput(0);
        OnnxMl.TensorShapeProto.Builder shape = declared.getType().getTensorType().getShape().toBuilder();
        if (shape.getDimCount() == 2) {
            shape.setDim(1, OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1));
        }
        OnnxMl.ValueInfoProto.Builder out = declared.toBuilder();
        out.getTypeBuilder().getTensorTypeBuilder().setShape(shape);
        return graph.toBuilder()
                .clearNode().addAllNode(live)
                .clearInitializer()
                .addAllInitializer(graph.getInitializerList().stream().filter(t -> needed.contains(t.getName()))
                        .toList())
                .clearValueInfo()
                .clearOutput().addOutput(out)
                .build();
    }
}
