package io.flowcast.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BaseNoiseTest {

    @Test
    void gaussianNoiseHasUnitMoments() {
        float[] noise = BaseNoise.gaussian(3).draw(100_000, 1);
        double[] m = moments(noise);
        assertEquals(0, m[0], 0.01);
        assertEquals(1, m[1], 0.02);
        assertArrayEquals(noise, BaseNoise.gaussian(3).draw(100_000, 1));
        assertNotEquals(Arrays.hashCode(noise), Arrays.hashCode(BaseNoise.gaussian(3).draw(100_000, 2)));
    }

    @Test
    void studentNoiseHasTheTVariancePerDimension() {
        double[] df = {5, 12};
        float[] noise = BaseNoise.studentT(df).draw(200_000, 3);
        for (int j = 0; j < 2; j++) {
            float[] column = new float[200_000];
            for (int i = 0; i < column.length; i++) {
                column[i] = noise[2 * i + j];
            }
            double[] m = moments(column);
            assertEquals(0, m[0], 0.02);
            assertEquals(df[j] / (df[j] - 2), m[1], 0.05 * df[j] / (df[j] - 2));
        }
    }

    @Test
    void gammaSamplerMatchesItsMeanAndVarianceBelowAndAboveShapeOne() {
        for (double shape : new double[] {0.4, 2.5}) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(4);
            float[] draws = new float[200_000];
            for (int i = 0; i < draws.length; i++) {
                draws[i] = (float) BaseNoise.gamma(shape, random);
            }
            double[] m = moments(draws);
            assertEquals(shape, m[0], 0.02 * shape + 0.005);
            assertEquals(shape, m[1], 0.04 * shape + 0.01);
        }
    }

    private static double[] moments(float[] values) {
        double mean = 0;
        for (float v : values) {
            mean += v;
        }
        mean /= values.length;
        double variance = 0;
        for (float v : values) {
            variance += (v - mean) * (v - mean);
        }
        return new double[] {mean, variance / (values.length - 1)};
    }
}
