package io.flowcast.flow.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.flowcast.flow.math.TensorOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link TensorOps} as an ONNX graph builder: a tensor is the name of a node output, and each call appends one or a
 * few nodes. Running the flow math against this class records the flow's computation as an ONNX graph (opset
 * {@value #OPSET}, float32), which {@link #graph} then wraps with its declared inputs and outputs.
 *
 * <p>The builder tracks each tensor's rank, because a few ONNX operators (Pad) need it written out; it keeps
 * comparison results as booleans next to their float masks so a {@code where} on a fresh comparison needs no
 * Cast round trip; and it shares equal constants, so the graph stays small. Not thread-safe: one builder per graph.
 */
public final class OnnxGraphOps implements TensorOps<String> {

    /** The ONNX operator set the graphs are written for. */
    public static final int OPSET = 17;

    /** The symbolic name of the dynamic batch axis in declared inputs and outputs. */
    public static final String BATCH_AXIS = "batch";

    private final ParameterSource parameters;
    private final List<NodeProto> nodes = new ArrayList<>();
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>();
    private final List<OnnxMl.ValueInfoProto> outputs = new ArrayList<>();
    private final Map<String, Integer> ranks = new HashMap<>();
    private final Map<ConstantKey, String> sharedConstants = new HashMap<>();
    /** Float masks produced by a comparison, mapped to the boolean tensor they were cast from. */
    private final Map<String, String> booleanOfMask = new HashMap<>();
    private int counter;

    /**
     * @param parameters where {@link #parameter} finds a parameter's values and shape; they become initializers
     */
    public OnnxGraphOps(ParameterSource parameters) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
    }

    /** A builder for graphs without parameters (tests, the matrix-multiply benchmark). */
    public static OnnxGraphOps withoutParameters() {
        return new OnnxGraphOps(name -> {
            throw new IllegalArgumentException("no parameter named " + name);
        });
    }

    // --- graph interface ---

    /** Declares a float32 graph input; {@code -1} in the shape marks the dynamic batch axis. */
    public String input(String name, long... shape) {
        requireFreshName(name);
        inputs.add(valueInfo(name, shape));
        ranks.put(name, shape.length);
        return name;
    }

    /** Declares {@code tensor} as a float32 graph output called {@code name} (through an Identity if renamed). */
    public void output(String tensor, String name, long... shape) {
        requireKnown(tensor);
        String produced = tensor;
        if (!tensor.equals(name)) {
            requireFreshName(name);
            nodes.add(node("Identity", List.of(tensor), name, List.of()));
            produced = name;
        }
        outputs.add(valueInfo(produced, shape));
    }

    /** The graph recorded so far. */
    public OnnxMl.GraphProto graph(String graphName) {
        if (outputs.isEmpty()) {
            throw new IllegalStateException("the graph declares no output");
        }
        return OnnxMl.GraphProto.newBuilder()
                .setName(graphName)
                .addAllNode(nodes)
                .addAllInitializer(initializers.values())
                .addAllInput(inputs)
                .addAllOutput(outputs)
                .build();
    }

    /** Number of nodes recorded so far. */
    public int nodeCount() {
        return nodes.size();
    }

    /** The rank of a tensor of this graph. */
    public int rank(String tensor) {
        requireKnown(tensor);
        return ranks.get(tensor);
    }

    // --- TensorOps ---

    @Override
    public String parameter(String name) {
        String tensorName = "param/" + name;
        if (!initializers.containsKey(tensorName)) {
            ParameterValue value = Objects.requireNonNull(parameters.find(name), "no value for parameter " + name);
            initializers.put(tensorName, floatTensor(tensorName, value.values(), value.shape()));
            ranks.put(tensorName, value.shape().length);
        }
        return tensorName;
    }

    @Override
    public String constant(float[] values, long... shape) {
        long[] actualShape = shape.length == 0 && values.length != 1 ? new long[] {values.length} : shape;
        checkElementCount(values.length, actualShape);
        return sharedConstant(new ConstantKey(values.clone(), null, actualShape));
    }

    @Override
    public String add(String a, String b) {
        return binary("Add", a, b);
    }

    @Override
    public String sub(String a, String b) {
        return binary("Sub", a, b);
    }

    @Override
    public String mul(String a, String b) {
        return binary("Mul", a, b);
    }

    @Override
    public String div(String a, String b) {
        return binary("Div", a, b);
    }

    @Override
    public String neg(String a) {
        return unary("Neg", a);
    }

    @Override
    public String matmul(String a, String b) {
        return emit("MatMul", List.of(a, b), Math.max(rank(a), rank(b)), List.of());
    }

    @Override
    public String exp(String a) {
        return unary("Exp", a);
    }

    @Override
    public String log(String a) {
        return unary("Log", a);
    }

    @Override
    public String sqrt(String a) {
        return unary("Sqrt", a);
    }

    @Override
    public String square(String a) {
        return binary("Mul", a, a);
    }

    @Override
    public String abs(String a) {
        return unary("Abs", a);
    }

    @Override
    public String tanh(String a) {
        return unary("Tanh", a);
    }

    @Override
    public String sigmoid(String a) {
        return unary("Sigmoid", a);
    }

    @Override
    public String relu(String a) {
        return unary("Relu", a);
    }

    /** ONNX Runtime's Softplus is evaluated stably (no overflow for large a, log1p for small exp(a)): one node. */
    @Override
    public String softplus(String a) {
        return unary("Softplus", a);
    }

    /**
     * log1p without a native operator: log(u) * a / (u - 1) with u = 1 + a cancels the rounding of 1 + a (Goldberg's
     * trick), and is exact where u rounds to 1.
     */
    @Override
    public String log1p(String a) {
        String one = scalar(1f);
        String u = add(one, a);
        String uMinusOne = sub(u, one);
        String corrected = mul(log(u), div(a, uMinusOne));
        String roundsToOne = emit("Equal", List.of(uMinusOne, scalar(0f)), rank(u), List.of());
        return emit("Where", List.of(roundsToOne, a, corrected), Math.max(rank(a), rank(u)), List.of());
    }

    @Override
    public String clamp(String a, float min, float max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("clamp needs min <= max: " + min + ", " + max);
        }
        return emit("Clip", List.of(a, scalar(min), scalar(max)), rank(a), List.of());
    }

    @Override
    public String greaterOrEqual(String a, String b) {
        return maskOf(emit("GreaterOrEqual", List.of(a, b), Math.max(rank(a), rank(b)), List.of()));
    }

    @Override
    public String less(String a, String b) {
        return maskOf(emit("Less", List.of(a, b), Math.max(rank(a), rank(b)), List.of()));
    }

    @Override
    public String where(String mask, String a, String b) {
        String condition = booleanOfMask.get(mask);
        if (condition == null) {
            condition = emit("Cast", List.of(mask), rank(mask), List.of(intAttribute("to", TensorProto.DataType.BOOL_VALUE)));
        }
        int rank = Math.max(rank(condition), Math.max(rank(a), rank(b)));
        return emit("Where", List.of(condition, a, b), rank, List.of());
    }

    @Override
    public String sum(String a, int axis, boolean keepDims) {
        int rank = rank(a);
        checkAxis(axis, rank);
        return emit("ReduceSum", List.of(a, int64Constant(new long[] {axis}, 1)), keepDims ? rank : rank - 1,
                List.of(intAttribute("keepdims", keepDims ? 1 : 0)));
    }

    @Override
    public String cumsum(String a, int axis) {
        checkAxis(axis, rank(a));
        // The axis input is a 0-d tensor.
        return emit("CumSum", List.of(a, int64Constant(new long[] {axis})), rank(a), List.of());
    }

    @Override
    public String softmax(String a, int axis) {
        checkAxis(axis, rank(a));
        return emit("Softmax", List.of(a), rank(a), List.of(intAttribute("axis", axis)));
    }

    @Override
    public String slice(String a, int axis, long from, long to) {
        checkAxis(axis, rank(a));
        return emit("Slice", List.of(a, int64Constant(new long[] {from}, 1), int64Constant(new long[] {to}, 1),
                int64Constant(new long[] {axis}, 1)), rank(a), List.of());
    }

    @Override
    public String gatherColumns(String a, int[] columns) {
        long[] indices = Arrays.stream(columns).asLongStream().toArray();
        return emit("Gather", List.of(a, int64Constant(indices, indices.length)), rank(a),
                List.of(intAttribute("axis", 1)));
    }

    @Override
    public String concat(List<String> parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat needs at least one part");
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int rank = rank(parts.get(0));
        checkAxis(axis, rank);
        return emit("Concat", parts, rank, List.of(intAttribute("axis", axis)));
    }

    @Override
    public String reshape(String a, long... shape) {
        return emit("Reshape", List.of(a, int64Constant(shape, shape.length)), shape.length, List.of());
    }

    @Override
    public String unsqueeze(String a, int axis) {
        checkAxis(axis, rank(a) + 1);
        return emit("Unsqueeze", List.of(a, int64Constant(new long[] {axis}, 1)), rank(a) + 1, List.of());
    }

    @Override
    public String padLastAxis(String a, int before, int after, float value) {
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException("padding must be non-negative: " + before + ", " + after);
        }
        int rank = rank(a);
        long[] pads = new long[2 * rank];
        pads[rank - 1] = before;
        pads[2 * rank - 1] = after;
        return emit("Pad", List.of(a, int64Constant(pads, pads.length), scalar(value)), rank,
                List.of(stringAttribute("mode", "constant")));
    }

    // --- node emission ---

    private String unary(String op, String a) {
        return emit(op, List.of(a), rank(a), List.of());
    }

    private String binary(String op, String a, String b) {
        return emit(op, List.of(a, b), Math.max(rank(a), rank(b)), List.of());
    }

    private String maskOf(String condition) {
        String mask = emit("Cast", List.of(condition), rank(condition),
                List.of(intAttribute("to", TensorProto.DataType.FLOAT_VALUE)));
        booleanOfMask.put(mask, condition);
        return mask;
    }

    private String emit(String op, List<String> inputNames, int rank, List<AttributeProto> attributes) {
        for (String input : inputNames) {
            requireKnown(input);
        }
        String output = "n" + counter++ + "_" + op;
        nodes.add(node(op, inputNames, output, attributes));
        ranks.put(output, rank);
        return output;
    }

    private NodeProto node(String op, List<String> inputNames, String output, List<AttributeProto> attributes) {
        return NodeProto.newBuilder()
                .setOpType(op)
                .setName(output)
                .addAllInput(inputNames)
                .addOutput(output)
                .addAllAttribute(attributes)
                .build();
    }

    private String int64Constant(long[] values, long... shape) {
        return sharedConstant(new ConstantKey(null, values.clone(), shape));
    }

    private String sharedConstant(ConstantKey key) {
        return sharedConstants.computeIfAbsent(key, k -> {
            String name = "const" + sharedConstants.size();
            TensorProto tensor = k.floats() != null
                    ? floatTensor(name, k.floats(), k.shape())
                    : TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                            .addAllDims(asList(k.shape())).addAllInt64Data(asList(k.longs())).build();
            initializers.put(name, tensor);
            ranks.put(name, k.shape().length);
            return name;
        });
    }

    static TensorProto floatTensor(String name, float[] values, long[] shape) {
        checkElementCount(values.length, shape);
        TensorProto.Builder builder = TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(asList(shape));
        for (float value : values) {
            builder.addFloatData(value);
        }
        return builder.build();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, long[] shape) {
        OnnxMl.TensorShapeProto.Builder dims = OnnxMl.TensorShapeProto.newBuilder();
        for (long dim : shape) {
            OnnxMl.TensorShapeProto.Dimension.Builder dimension = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (dim < 0) {
                dimension.setDimParam(BATCH_AXIS);
            } else {
                dimension.setDimValue(dim);
            }
            dims.addDim(dimension);
        }
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(dims))
                .build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto stringAttribute(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    private static List<Long> asList(long[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static void checkElementCount(int count, long[] shape) {
        long expected = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("a constant's shape must be fully known: " + Arrays.toString(shape));
            }
            expected *= dim;
        }
        if (expected != count) {
            throw new IllegalArgumentException(count + " values do not fill shape " + Arrays.toString(shape));
        }
    }

    private static void checkAxis(int axis, int rank) {
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
        }
    }

    private void requireKnown(String tensor) {
        if (!ranks.containsKey(tensor)) {
            throw new IllegalArgumentException("not a tensor of this graph: " + tensor);
        }
    }

    private void requireFreshName(String name) {
        if (ranks.containsKey(name) || name.startsWith("n") && name.matches("n\\d+_.*") || name.startsWith("const")
                || name.startsWith("param/")) {
            throw new IllegalArgumentException("name clashes with a generated tensor name: " + name);
        }
    }

    /** Finds a parameter's value by name; returns null when there is none. */
    @FunctionalInterface
    public interface ParameterSource {
        ParameterValue find(String name);
    }

    /** A parameter's values (row-major) and shape. */
    public record ParameterValue(float[] values, long[] shape) {
        public ParameterValue {
            checkElementCount(values.length, shape);
        }
    }

    /** Content key for sharing equal constants (either floats or longs is set). */
    private record ConstantKey(float[] floats, long[] longs, long[] shape) {
        @Override
        public boolean equals(Object other) {
            return other instanceof ConstantKey key && Arrays.equals(floats, key.floats)
                    && Arrays.equals(longs, key.longs) && Arrays.equals(shape, key.shape);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(floats) + Arrays.hashCode(longs)) + Arrays.hashCode(shape);
        }
    }
}
