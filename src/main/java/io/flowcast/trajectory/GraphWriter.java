package io.flowcast.trajectory;

import io.flowcast.flow.onnx.ConstantKey;
import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain ONNX graph writer: one call per node, the node's op type and inputs as given, generated output names and
 * shared constants. For graphs written node by node for speed ({@link SamplingGraph}), where the generic
 * {@code OnnxGraphOps} (one flow-math operation at a time) would emit more nodes than the computation needs.
 */
final class GraphWriter {

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private final Map<ConstantKey, String> constants = new HashMap<>();
    private int counter;

    /** A float32 input; {@code axisName} names the dynamic first axis, the other dimensions are fixed. */
    String floatInput(String name, String axisName, long... rest) {
        graph.addInput(valueInfo(name, TensorProto.DataType.FLOAT_VALUE, axisName, rest));
        return name;
    }

    /** An int64 input; {@code axisName} names the dynamic first axis. */
    String longInput(String name, String axisName, long... rest) {
        graph.addInput(valueInfo(name, TensorProto.DataType.INT64_VALUE, axisName, rest));
        return name;
    }

    /** Declares {@code tensor} as the float32 output {@code name} (through an Identity). */
    void output(String tensor, String name, String axisName, long... rest) {
        graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName(name).addInput(tensor).addOutput(name));
        graph.addOutput(valueInfo(name, TensorProto.DataType.FLOAT_VALUE, axisName, rest));
    }

    /** One node with one output. */
    String node(String op, List<String> inputs, AttributeProto... attributes) {
        return nodes(op, inputs, 1, attributes).get(0);
    }

    /** One node with {@code outputs} outputs (Split). */
    List<String> nodes(String op, List<String> inputs, int outputs, AttributeProto... attributes) {
        String name = "n" + counter++ + "_" + op;
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs)
                .addAllAttribute(Arrays.asList(attributes));
        List<String> names = new ArrayList<>(outputs);
        for (int i = 0; i < outputs; i++) {
            String output = outputs == 1 ? name : name + ":" + i;
            node.addOutput(output);
            names.add(output);
        }
        graph.addNode(node);
        return names;
    }

    String add(String a, String b) {
        return node("Add", List.of(a, b));
    }

    String sub(String a, String b) {
        return node("Sub", List.of(a, b));
    }

    String mul(String a, String b) {
        return node("Mul", List.of(a, b));
    }

    String div(String a, String b) {
        return node("Div", List.of(a, b));
    }

    /** a [M,K] x b [K,N] + c (c broadcast to [M,N]). */
    String gemm(String a, String b, String c) {
        return node("Gemm", List.of(a, b, c));
    }

    /** A float constant of the given shape (equal constants are shared). */
    String floats(float[] values, long... shape) {
        return constant(new ConstantKey(values.clone(), null, shape));
    }

    /** A float constant of one value, shaped [1, 1] so that it broadcasts at the rank of the graph's matrices. */
    String scalar(float value) {
        return floats(new float[] {value}, 1, 1);
    }

    String longs(long[] values, long... shape) {
        return constant(new ConstantKey(null, values.clone(), shape));
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    int nodeCount() {
        return graph.getNodeCount();
    }

    OnnxMl.GraphProto build(String name) {
        return graph.setName(name).build();
    }

    private String constant(ConstantKey key) {
        return constants.computeIfAbsent(key, k -> {
            String name = "const" + constants.size();
            TensorProto.Builder tensor = TensorProto.newBuilder().setName(name);
            for (long dim : k.shape()) {
                tensor.addDims(dim);
            }
            if (k.floats() != null) {
                tensor.setDataType(TensorProto.DataType.FLOAT_VALUE);
                for (float value : k.floats()) {
                    tensor.addFloatData(value);
                }
            } else {
                tensor.setDataType(TensorProto.DataType.INT64_VALUE);
                for (long value : k.longs()) {
                    tensor.addInt64Data(value);
                }
            }
            graph.addInitializer(tensor);
            return name;
        });
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, int type, String axisName, long[] rest) {
        OnnxMl.TensorShapeProto.Builder dims = OnnxMl.TensorShapeProto.newBuilder();
        dims.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(axisName));
        for (long dim : rest) {
            dims.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type).setShape(dims))).build();
    }
}
