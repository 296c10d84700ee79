package io.flowcast.trajectory;

import io.flowcast.flow.math.TensorOps;
import java.util.List;
import java.util.Objects;

/**
 * A view of a {@link TensorOps} backend whose parameters live under a name prefix, so that several flows of the
 * same architecture (the chain's 12 step flows and 12 marginal flows) can be written into one graph without their
 * parameter names colliding. Every other operation goes straight to the backend.
 */
final class ScopedOps<T> implements TensorOps<T> {

    private final TensorOps<T> backend;
    private final String prefix;

    ScopedOps(TensorOps<T> backend, String prefix) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    @Override
    public T parameter(String name) {
        return backend.parameter(prefix + name);
    }

    @Override
    public T constant(float[] values, long... shape) {
        return backend.constant(values, shape);
    }

    @Override
    public T scalar(float value) {
        return backend.scalar(value);
    }

    @Override
    public T add(T a, T b) {
        return backend.add(a, b);
    }

    @Override
    public T sub(T a, T b) {
        return backend.sub(a, b);
    }

    @Override
    public T mul(T a, T b) {
        return backend.mul(a, b);
    }

    @Override
    public T div(T a, T b) {
        return backend.div(a, b);
    }

    @Override
    public T neg(T a) {
        return backend.neg(a);
    }

    @Override
    public T matmul(T a, T b) {
        return backend.matmul(a, b);
    }

    @Override
    public T exp(T a) {
        return backend.exp(a);
    }

    @Override
    public T log(T a) {
        return backend.log(a);
    }

    @Override
    public T sqrt(T a) {
        return backend.sqrt(a);
    }

    @Override
    public T square(T a) {
        return backend.square(a);
    }

    @Override
    public T abs(T a) {
        return backend.abs(a);
    }

    @Override
    public T tanh(T a) {
        return backend.tanh(a);
    }

    @Override
    public T sigmoid(T a) {
        return backend.sigmoid(a);
    }

    @Override
    public T relu(T a) {
        return backend.relu(a);
    }

    @Override
    public T softplus(T a) {
        return backend.softplus(a);
    }

    @Override
    public T log1p(T a) {
        return backend.log1p(a);
    }

    @Override
    public T clamp(T a, float min, float max) {
        return backend.clamp(a, min, max);
    }

    @Override
    public T greaterOrEqual(T a, T b) {
        return backend.greaterOrEqual(a, b);
    }

    @Override
    public T less(T a, T b) {
        return backend.less(a, b);
    }

    @Override
    public T where(T mask, T a, T b) {
        return backend.where(mask, a, b);
    }

    @Override
    public T sum(T a, int axis, boolean keepDims) {
        return backend.sum(a, axis, keepDims);
    }

    @Override
    public T cumsum(T a, int axis) {
        return backend.cumsum(a, axis);
    }

    @Override
    public T softmax(T a, int axis) {
        return backend.softmax(a, axis);
    }

    @Override
    public T slice(T a, int axis, long from, long to) {
        return backend.slice(a, axis, from, to);
    }

    @Override
    public T gatherColumns(T a, int[] columns) {
        return backend.gatherColumns(a, columns);
    }

    @Override
    public T concat(List<T> parts, int axis) {
        return backend.concat(parts, axis);
    }

    @Override
    public T reshape(T a, long... shape) {
        return backend.reshape(a, shape);
    }

    @Override
    public T unsqueeze(T a, int axis) {
        return backend.unsqueeze(a, axis);
    }

    @Override
    public T padLastAxis(T a, int before, int after, float value) {
        return backend.padLastAxis(a, before, after, value);
    }
}
