package io.flowcast.flow;

import java.util.Arrays;
import java.util.SplittableRandom;

/** How a parameter's initial values are drawn. Deterministic given the random source. */
public sealed interface Initializer {

    float[] initialValues(long[] shape, SplittableRandom random);

    /** Every element equal to {@code value} (zeros for the last conditioner layer, ones for a scaler's std). */
    record Constant(float value) implements Initializer {
        @Override
        public float[] initialValues(long[] shape, SplittableRandom random) {
            float[] values = new float[ParameterSpec.elementCount(shape)];
            Arrays.fill(values, value);
            return values;
        }
    }

    /**
     * Glorot (Xavier) uniform for a [fanIn, fanOut] weight: keeps the activations' scale through the ReLU layers of
     * a conditioner at initialisation.
     */
    record GlorotUniform() implements Initializer {
        @Override
        public float[] initialValues(long[] shape, SplittableRandom random) {
            if (shape.length != 2) {
                throw new IllegalArgumentException("Glorot initialisation needs a 2-D shape: " + Arrays.toString(shape));
            }
            double bound = Math.sqrt(6.0 / (shape[0] + shape[1]));
            float[] values = new float[ParameterSpec.elementCount(shape)];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            return values;
        }
    }

    static Initializer zeros() {
        return new Constant(0f);
    }

    static Initializer ones() {
        return new Constant(1f);
    }
}
