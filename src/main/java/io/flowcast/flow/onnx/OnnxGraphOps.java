package io.flowcast.flow.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.flowcast.flow.math.TensorOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@link TensorOps} as an ONNX graph builder: a tensor is the name of a node output, and each call appends one or a
 * few nodes. Running the flow math against this class records the flow's computation as an ONNX graph (opset
 * {@value #OPSET}, float32), which {@link #graph} then wraps with its declared inputs and outputs.
 *
 * <p>The graph is shaped for ONNX Runtime's CPU kernels, always with the same values as the plain operator: the
 * builder tracks each tensor's rank so that scalar constants broadcast at full rank (the fast kernel path) and
 * padding can be written as Expand + Concat; it keeps comparison results as booleans next to their float masks so
 * a {@code where} on a fresh comparison needs no Cast round trip; it shares equal constants; and {@link #graph}
 * turns dense layers into Gemm nodes and drops work no output needs. Not thread-safe: one builder per graph.
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
    /** Every tensor's shape as far as known while building (see {@link StaticShapes}). */
    private final Map<String, long[]> shapes = new HashMap<>();
    /** Constant-filled blocks of a statically known shape (batch axis aside), by shape and value: padding shares them. */
    private final Map<ConstantKey, String> constantBlocks = new HashMap<>();
    /** Shape(first batched input)[0:1], made once when a constant block needs the batch size. */
    private String batchSize;
    private final Map<ConstantKey, String> sharedConstants = new HashMap<>();
    /** Constants holding one float, by name: candidates for rank-matched broadcasting. */
    private final Map<String, Float> scalarConstants = new HashMap<>();
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
        shapes.put(name, StaticShapes.declared(shape));
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
        List<NodeProto> live = liveNodes(DenseLayerFusion.fuse(nodes, initializers, outputs, this::rankOrUnknown));
        Set<String> used = new HashSet<>();
        live.forEach(node -> used.addAll(node.getInputList()));
        outputs.forEach(output -> used.add(output.getName()));
        return OnnxMl.GraphProto.newBuilder()
                .setName(graphName)
                .addAllNode(live)
                .addAllInitializer(initializers.values().stream().filter(t -> used.contains(t.getName())).toList())
                .addAllInput(inputs)
                .addAllOutput(outputs)
                .build();
    }

    /** The nodes the declared outputs depend on, in order: work the flow computed but never used is dropped. */
    private List<NodeProto> liveNodes(List<NodeProto> all) {
        Set<String> needed = new HashSet<>();
        outputs.forEach(output -> needed.add(output.getName()));
        List<NodeProto> live = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            NodeProto node = all.get(i);
            if (node.getOutputList().stream().anyMatch(needed::contains)) {
                live.add(node);
                needed.addAll(node.getInputList());
            }
        }
        Collections.reverse(live);
        return live;
    }

    /** Number of nodes recorded so far. */
    public int nodeCount() {
        return nodes.size();
    }

    /** The rank of a tensor of this graph. */
    public int rank(String tensor) {
        return dims(tensor).length;
    }

    private int rankOrUnknown(String tensor) {
        long[] dims = shapes.get(tensor);
        return dims == null ? -1 : dims.length;
    }

    private long[] dims(String tensor) {
        requireKnown(tensor);
        return shapes.get(tensor);
    }

    // --- TensorOps ---

    @Override
    public String parameter(String name) {
        String tensorName = "param/" + name;
        if (!initializers.containsKey(tensorName)) {
            ParameterValue value = parameters.find(name);
            if (value == null) {
                throw new IllegalArgumentException("no value for parameter " + name);
            }
            initializers.put(tensorName, floatTensor(tensorName, value.values(), value.shape()));
            shapes.put(tensorName, value.shape());
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
        return emit("MatMul", List.of(a, b), StaticShapes.matmul(dims(a), dims(b)), List.of());
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

    /**
     * max(a, 0) + log1p(exp(-|a|)): stable for any a and accurate in the left tail. Written out because ONNX
     * Runtime's Softplus kernel is scalar code, about 15 times slower than these vectorised elementwise nodes.
     */
    @Override
    public String softplus(String a) {
        return add(relu(a), log1p(exp(neg(abs(a)))));
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
        String roundsToOne = elementwise("Equal", uMinusOne, scalar(0f));
        return elementwise("Where", roundsToOne, a, corrected);
    }

    @Override
    public String clamp(String a, float min, float max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("clamp needs min <= max: " + min + ", " + max);
        }
        return emit("Clip", List.of(a, scalar(min), scalar(max)), dims(a), List.of());
    }

    @Override
    public String greaterOrEqual(String a, String b) {
        return maskOf(elementwise("GreaterOrEqual", a, b));
    }

    @Override
    public String less(String a, String b) {
        return maskOf(elementwise("Less", a, b));
    }

    @Override
    public String where(String mask, String a, String b) {
        String condition = booleanOfMask.get(mask);
        if (condition == null) {
            condition = emit("Cast", List.of(mask), dims(mask),
                    List.of(intAttribute("to", TensorProto.DataType.BOOL_VALUE)));
        }
        return elementwise("Where", condition, a, b);
    }

    @Override
    public String sum(String a, int axis, boolean keepDims) {
        checkAxis(axis, rank(a));
        return emit("ReduceSum", List.of(a, int64Constant(new long[] {axis}, 1)),
                StaticShapes.reduce(dims(a), axis, keepDims), List.of(intAttribute("keepdims", keepDims ? 1 : 0)));
    }

    @Override
    public String cumsum(String a, int axis) {
        checkAxis(axis, rank(a));
        // The axis input is a 0-d tensor.
        return emit("CumSum", List.of(a, int64Constant(new long[] {axis})), dims(a), List.of());
    }

    @Override
    public String softmax(String a, int axis) {
        checkAxis(axis, rank(a));
        return emit("Softmax", List.of(a), dims(a), List.of(intAttribute("axis", axis)));
    }

    @Override
    public String slice(String a, int axis, long from, long to) {
        checkAxis(axis, rank(a));
        return emit("Slice", List.of(a, int64Constant(new long[] {from}, 1), int64Constant(new long[] {to}, 1),
                int64Constant(new long[] {axis}, 1)), StaticShapes.slice(dims(a), axis, from, to), List.of());
    }

    @Override
    public String gatherColumns(String a, int[] columns) {
        long[] indices = Arrays.stream(columns).asLongStream().toArray();
        checkAxis(1, rank(a));
        return emit("Gather", List.of(a, int64Constant(indices, indices.length)),
                StaticShapes.withDim(dims(a), 1, indices.length), List.of(intAttribute("axis", 1)));
    }

    @Override
    public String concat(List<String> parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat needs at least one part");
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        checkAxis(axis, rank(parts.get(0)));
        List<long[]> partShapes = parts.stream().map(this::dims).toList();
        return emit("Concat", parts, StaticShapes.concat(partShapes, axis), List.of(intAttribute("axis", axis)));
    }

    @Override
    public String reshape(String a, long... shape) {
        return emit("Reshape", List.of(a, int64Constant(shape, shape.length)), StaticShapes.reshape(dims(a), shape),
                List.of());
    }

    @Override
    public String unsqueeze(String a, int axis) {
        checkAxis(axis, rank(a) + 1);
        return emit("Unsqueeze", List.of(a, int64Constant(new long[] {axis}, 1)),
                StaticShapes.unsqueeze(dims(a), axis), List.of());
    }

    @Override
    public String padLastAxis(String a, int before, int after, float value) {
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException("padding must be non-negative: " + before + ", " + after);
        }
        int rank = rank(a);
        if (rank == 0) {
            throw new IllegalArgumentException("cannot pad a scalar");
        }
        if (before == 0 && after == 0) {
            return a;
        }
        // Concat with constant blocks rather than Pad: ONNX Runtime's Pad walks the tensor row by row and is about
        // six times slower than Expand + Concat on the flows' [B, n, K] knot tables. Blocks of a statically known
        // shape are made once and shared by every padding that needs them.
        long[] dims = dims(a);
        List<String> parts = new ArrayList<>(3);
        if (before > 0) {
            parts.add(constantBlock(a, dims, before, value));
        }
        parts.add(a);
        if (after > 0) {
            parts.add(constantBlock(a, dims, after, value));
        }
        long[] padded = dims.clone();
        padded[rank - 1] = dims[rank - 1] < 0 ? StaticShapes.UNKNOWN : dims[rank - 1] + before + after;
        return emit("Concat", parts, padded, List.of(intAttribute("axis", -1)));
    }

    /** A tensor shaped like {@code like} but {@code width} wide on the last axis, filled with {@code value}. */
    private String constantBlock(String like, long[] likeDims, int width, float value) {
        int rank = likeDims.length;
        long[] ones = new long[rank];
        Arrays.fill(ones, 1L);
        String fill = sharedConstant(new ConstantKey(new float[] {value}, null, ones));
        long[] blockDims = likeDims.clone();
        blockDims[rank - 1] = width;
        if (StaticShapes.knownUpToBatch(blockDims)) {
            if (blockDims[0] != StaticShapes.BATCH) {
                return sharedConstant(new ConstantKey(filled(blockDims, value), null, blockDims));
            }
            if (batchSize() != null) {
                ConstantKey key = new ConstantKey(new float[] {value}, null, blockDims);
                String block = constantBlocks.get(key);
                if (block == null) {
                    long[] rest = Arrays.copyOfRange(blockDims, 1, rank);
                    String shape = emit("Concat", List.of(batchSize(), int64Constant(rest, rest.length)),
                            new long[] {rank}, List.of(intAttribute("axis", 0)));
                    block = emit("Expand", List.of(fill, shape), blockDims, List.of());
                    constantBlocks.put(key, block);
                }
                return block;
            }
        }
        // Shape not known while building: take it from the tensor at run time.
        String shape;
        if (rank > 1) {
            String leading = emit("Shape", List.of(like), new long[] {rank - 1}, List.of(intAttribute("end", -1)));
            shape = emit("Concat", List.of(leading, int64Constant(new long[] {width}, 1)), new long[] {rank},
                    List.of(intAttribute("axis", 0)));
        } else {
            shape = int64Constant(new long[] {width}, 1);
        }
        return emit("Expand", List.of(fill, shape), blockDims, List.of());
    }

    /** The batch size as an int64 [1] tensor, read from the first input with a batch axis; null if none has one. */
    private String batchSize() {
        if (batchSize == null) {
            for (OnnxMl.ValueInfoProto input : inputs) {
                long[] inputDims = shapes.get(input.getName());
                if (inputDims.length > 0 && inputDims[0] == StaticShapes.BATCH) {
                    batchSize = emit("Shape", List.of(input.getName()), new long[] {1},
                            List.of(intAttribute("start", 0), intAttribute("end", 1)));
                    break;
                }
            }
        }
        return batchSize;
    }

    private static float[] filled(long[] dims, float value) {
        long count = 1;
        for (long dim : dims) {
            count *= dim;
        }
        float[] values = new float[Math.toIntExact(count)];
        Arrays.fill(values, value);
        return values;
    }

    // --- node emission ---

    private String unary(String op, String a) {
        return emit(op, List.of(a), dims(a), List.of());
    }

    private String binary(String op, String a, String b) {
        return elementwise(op, a, b);
    }

    /**
     * A broadcasting elementwise node. Scalar constants are given the other operands' rank ([1, 1, 1] rather than
     * []): ONNX Runtime's kernels take a slow generic broadcast path for a rank-0 operand, 5 to 8 times slower
     * than for a same-rank one (measured on [4096, 1, 8] tensors); the values and result shapes are the same.
     */
    private String elementwise(String op, String... operands) {
        int rank = 0;
        for (String operand : operands) {
            rank = Math.max(rank, rank(operand));
        }
        List<String> inputs = new ArrayList<>(operands.length);
        for (String operand : operands) {
            Float value = scalarConstants.get(operand);
            if (value != null && rank(operand) < rank) {
                long[] ones = new long[rank];
                Arrays.fill(ones, 1L);
                operand = sharedConstant(new ConstantKey(new float[] {value}, null, ones));
            }
            inputs.add(operand);
        }
        return emit(op, inputs, StaticShapes.broadcast(inputs.stream().map(this::dims).toList()), List.of());
    }

    private String maskOf(String condition) {
        String mask = emit("Cast", List.of(condition), dims(condition),
                List.of(intAttribute("to", TensorProto.DataType.FLOAT_VALUE)));
        booleanOfMask.put(mask, condition);
        return mask;
    }

    private String emit(String op, List<String> inputNames, long[] dims, List<AttributeProto> attributes) {
        for (String input : inputNames) {
            requireKnown(input);
        }
        String output = "n" + counter++ + "_" + op;
        nodes.add(node(op, inputNames, output, attributes));
        shapes.put(output, dims);
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
            shapes.put(name, k.shape());
            if (k.floats() != null && k.floats().length == 1) {
                scalarConstants.put(name, k.floats()[0]);
            }
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
        if (!shapes.containsKey(tensor)) {
            throw new IllegalArgumentException("not a tensor of this graph: " + tensor);
        }
    }

    private void requireFreshName(String name) {
        if (shapes.containsKey(name) || name.startsWith("n") && name.matches("n\\d+_.*") || name.startsWith("const")
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

}
