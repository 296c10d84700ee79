package io.flowcast.flow.onnx;

import java.util.Arrays;

/**
 * Content key under which graph writers share equal constant initializers (either {@code floats} or {@code longs} is
 * set): a graph that asks for the same tensor twice stores it once.
 */
public record ConstantKey(float[] floats, long[] longs, long[] shape) {
    @Override
    public boolean equals(Object other) {
        return other instanceof ConstantKey key && Arrays.equals(floats, key.floats)
                && Arrays.equals(longs, key.longs) && Arrays.equals(shape, key.shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(floats) + Arrays.hashCode(longs)) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "ConstantKey" + Arrays.toString(shape);
    }
}
