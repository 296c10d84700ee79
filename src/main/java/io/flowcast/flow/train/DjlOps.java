package io.flowcast.flow.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.flowcast.flow.math.TensorOps;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link TensorOps} on DJL NDArrays (PyTorch engine): the training backend. Parameters come from a map of arrays
 * (with gradients attached when training); every intermediate result is attached to this object's manager, so
 * closing that manager after a step frees the whole step's graph and memory stays flat.
 *
 * <p>Computes in float32 by default; float64 is available for numerical checks (finite-difference Jacobians).
 * Constants are cast to the working type.
 */
public final class DjlOps implements TensorOps<NDArray> {

    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final DataType dataType;
    private final Map<String, NDArray> views = new HashMap<>();
    private final Map<Integer, NDArray> scalars = new HashMap<>();

    public DjlOps(NDManager manager, Map<String, NDArray> parameters) {
        this(manager, parameters, DataType.FLOAT32);
    }

    public DjlOps(NDManager manager, Map<String, NDArray> parameters, DataType dataType) {
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT64) {
            throw new IllegalArgumentException("DjlOps computes in float32 or float64, not " + dataType);
        }
        this.manager = manager;
        this.parameters = parameters;
        this.dataType = dataType;
    }

    public NDManager manager() {
        return manager;
    }

    public DataType dataType() {
        return dataType;
    }

    /** DJL puts a result in its first operand's manager; most already land in ours (see {@link #parameter}). */
    private NDArray own(NDArray result) {
        if (result.getManager() != manager) {
            result.attach(manager);
        }
        return result;
    }

    /**
     * A view of the parameter that lives in this object's manager (autograd still reaches the parameter through
     * it), so that results computed from it land in the same manager without re-attaching each one.
     */
    @Override
    public NDArray parameter(String name) {
        return views.computeIfAbsent(name, key -> {
            NDArray parameter = parameters.get(key);
            if (parameter == null) {
                throw new IllegalArgumentException("no parameter named " + key);
            }
            NDArray view = parameter.reshape(parameter.getShape());
            return view == parameter ? parameter : own(view);
        });
    }

    /** Scalars repeat (0.5, 1, 2, the tail bound...): one array per value and manager. */
    @Override
    public NDArray scalar(float value) {
        return scalars.computeIfAbsent(Float.floatToRawIntBits(value), bits -> constant(new float[] {value}));
    }

    @Override
    public NDArray constant(float[] values, long... shape) {
        NDArray array = manager.create(values, new Shape(shape));
        return dataType == DataType.FLOAT32 ? array : own(array.toType(dataType, false));
    }

    @Override
    public NDArray add(NDArray a, NDArray b) {
        return own(a.add(b));
    }

    @Override
    public NDArray sub(NDArray a, NDArray b) {
        return own(a.sub(b));
    }

    @Override
    public NDArray mul(NDArray a, NDArray b) {
        return own(a.mul(b));
    }

    @Override
    public NDArray div(NDArray a, NDArray b) {
        return own(a.div(b));
    }

    @Override
    public NDArray neg(NDArray a) {
        return own(a.neg());
    }

    @Override
    public NDArray matmul(NDArray a, NDArray b) {
        return own(a.matMul(b));
    }

    @Override
    public NDArray exp(NDArray a) {
        return own(a.exp());
    }

    @Override
    public NDArray log(NDArray a) {
        return own(a.log());
    }

    @Override
    public NDArray sqrt(NDArray a) {
        return own(a.sqrt());
    }

    @Override
    public NDArray square(NDArray a) {
        return own(a.square());
    }

    @Override
    public NDArray abs(NDArray a) {
        return own(a.abs());
    }

    @Override
    public NDArray tanh(NDArray a) {
        return own(a.tanh());
    }

    @Override
    public NDArray sigmoid(NDArray a) {
        return own(Activation.sigmoid(a));
    }

    @Override
    public NDArray relu(NDArray a) {
        return own(Activation.relu(a));
    }

    @Override
    public NDArray softplus(NDArray a) {
        return own(Activation.softPlus(a));
    }

    /** DJL has no log1p, and neither has ONNX: both backends compute log(1 + a), so they stay equal. */
    @Override
    public NDArray log1p(NDArray a) {
        return own(own(a.add(1f)).log());
    }

    @Override
    public NDArray clamp(NDArray a, float min, float max) {
        return own(a.clip(min, max));
    }

    @Override
    public NDArray greaterOrEqual(NDArray a, NDArray b) {
        return own(own(a.gte(b)).toType(dataType, false));
    }

    @Override
    public NDArray less(NDArray a, NDArray b) {
        return own(own(a.lt(b)).toType(dataType, false));
    }

    @Override
    public NDArray where(NDArray mask, NDArray a, NDArray b) {
        // DJL's where does not broadcast; the contract (like ONNX Where) does.
        Shape shape = broadcastShape(broadcastShape(mask.getShape(), a.getShape()), b.getShape());
        NDArray condition = own(mask.toType(DataType.BOOLEAN, false));
        return own(NDArrays.where(expand(condition, shape), expand(a, shape), expand(b, shape)));
    }

    private NDArray expand(NDArray a, Shape shape) {
        return a.getShape().equals(shape) ? a : own(a.broadcast(shape));
    }

    private static Shape broadcastShape(Shape a, Shape b) {
        int rank = Math.max(a.dimension(), b.dimension());
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            int ia = i - (rank - a.dimension());
            int ib = i - (rank - b.dimension());
            long da = ia >= 0 ? a.get(ia) : 1;
            long db = ib >= 0 ? b.get(ib) : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("cannot broadcast " + a + " with " + b);
            }
            dims[i] = da == 1 ? db : da;
        }
        return new Shape(dims);
    }

    @Override
    public NDArray sum(NDArray a, int axis, boolean keepDims) {
        return own(a.sum(new int[] {axis}, keepDims));
    }

    @Override
    public NDArray cumsum(NDArray a, int axis) {
        return own(a.cumSum(axis));
    }

    @Override
    public NDArray softmax(NDArray a, int axis) {
        return own(a.softmax(axis));
    }

    @Override
    public NDArray slice(NDArray a, int axis, long from, long to) {
        int rank = a.getShape().dimension();
        int positive = axis < 0 ? axis + rank : axis;
        NDIndex index = new NDIndex();
        for (int i = 0; i < positive; i++) {
            index.addAllDim();
        }
        return own(a.get(index.addSliceDim(from, to)));
    }

    @Override
    public NDArray gatherColumns(NDArray a, int[] columns) {
        long[] indices = new long[columns.length];
        for (int i = 0; i < columns.length; i++) {
            indices[i] = columns[i];
        }
        NDArray index = manager.create(indices);
        return own(a.get(new NDIndex(":, {}", index)));
    }

    @Override
    public NDArray concat(List<NDArray> parts, int axis) {
        return own(NDArrays.concat(new NDList(parts), axis));
    }

    @Override
    public NDArray reshape(NDArray a, long... shape) {
        long[] resolved = shape.clone();
        for (int i = 0; i < resolved.length; i++) {
            if (resolved[i] == 0) {
                resolved[i] = a.getShape().get(i);
            }
        }
        return own(a.reshape(new Shape(resolved)));
    }

    @Override
    public NDArray unsqueeze(NDArray a, int axis) {
        return own(a.expandDims(axis));
    }

    @Override
    public NDArray padLastAxis(NDArray a, int before, int after, float value) {
        long[] dims = a.getShape().getShape();
        NDList parts = new NDList(3);
        if (before > 0) {
            dims[dims.length - 1] = before;
            parts.add(own(manager.full(new Shape(dims), value, dataType)));
        }
        parts.add(a);
        if (after > 0) {
            dims[dims.length - 1] = after;
            parts.add(own(manager.full(new Shape(dims), value, dataType)));
        }
        return own(NDArrays.concat(parts, -1));
    }
}
