package io.flowcast.flow;

import java.util.Arrays;
import java.util.Objects;

/**
 * A parameter a flow declares: its name, shape, whether the optimiser updates it, and how it starts.
 * Non-trainable parameters (the feature scaler) are still part of the model and travel with it.
 */
public record ParameterSpec(String name, long[] shape, boolean trainable, Initializer initializer) {

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(initializer, "initializer");
        shape = shape.clone();
        elementCount(shape);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int size() {
        return elementCount(shape);
    }

    static int elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, dim);
        }
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("parameter too large: " + Arrays.toString(shape));
        }
        return (int) count;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ParameterSpec spec && name.equals(spec.name) && Arrays.equals(shape, spec.shape)
                && trainable == spec.trainable && initializer.equals(spec.initializer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), trainable, initializer);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (trainable ? "" : " (fixed)");
    }
}
