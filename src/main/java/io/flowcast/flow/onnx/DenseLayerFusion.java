package io.flowcast.flow.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites {@code Add(MatMul(a, W), b)} into one {@code Gemm(a, W, b)} where W [n, m] and b [m] are initializers
 * and the product feeds nothing else. ONNX Runtime only makes this fusion itself where it can infer a's shape,
 * which it loses after the first coupling; emitting Gemm directly also lets it fold a following Relu into the
 * same kernel, saving two passes over each hidden activation.
 */
final class DenseLayerFusion {

    private DenseLayerFusion() {
    }

    static List<NodeProto> fuse(List<NodeProto> nodes, Map<String, OnnxMl.TensorProto> initializers,
            List<OnnxMl.ValueInfoProto> graphOutputs, java.util.function.ToIntFunction<String> rankOf) {
        Map<String, Integer> consumers = new HashMap<>();
        for (NodeProto node : nodes) {
            for (String input : node.getInputList()) {
                consumers.merge(input, 1, Integer::sum);
            }
        }
        for (OnnxMl.ValueInfoProto output : graphOutputs) {
            consumers.merge(output.getName(), 1, Integer::sum);
        }
        Map<String, NodeProto> products = new HashMap<>();
        for (NodeProto node : nodes) {
            // Gemm takes a matrix on the left: only [B, n] x [n, m] products qualify.
            if (node.getOpType().equals("MatMul") && rankOf.applyAsInt(node.getInput(0)) == 2
                    && consumers.getOrDefault(node.getOutput(0), 0) == 1
                    && isMatrix(initializers.get(node.getInput(1)))) {
                products.put(node.getOutput(0), node);
            }
        }
        Set<NodeProto> absorbed = new HashSet<>();
        Map<NodeProto, NodeProto> replacements = new HashMap<>();
        for (NodeProto node : nodes) {
            if (!node.getOpType().equals("Add")) {
                continue;
            }
            for (int side = 0; side < 2; side++) {
                NodeProto product = products.get(node.getInput(side));
                String bias = node.getInput(1 - side);
                if (product != null && !absorbed.contains(product)
                        && fitsAsBias(initializers.get(bias), initializers.get(product.getInput(1)))) {
                    absorbed.add(product);
                    replacements.put(node, NodeProto.newBuilder()
                            .setOpType("Gemm")
                            .setName(node.getName() + "_gemm")
                            .addInput(product.getInput(0))
                            .addInput(product.getInput(1))
                            .addInput(bias)
                            .addOutput(node.getOutput(0))
                            .build());
                    break;
                }
            }
        }
        List<NodeProto> fused = new ArrayList<>(nodes.size());
        for (NodeProto node : nodes) {
            if (!absorbed.contains(node)) {
                fused.add(replacements.getOrDefault(node, node));
            }
        }
        return fused;
    }

    private static boolean isMatrix(OnnxMl.TensorProto tensor) {
        return tensor != null && tensor.getDimsCount() == 2;
    }

    private static boolean fitsAsBias(OnnxMl.TensorProto bias, OnnxMl.TensorProto weight) {
        return bias != null && weight != null && bias.getDimsCount() == 1 && bias.getDims(0) == weight.getDims(1);
    }
}
