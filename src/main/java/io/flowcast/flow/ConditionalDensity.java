package io.flowcast.flow;

/**
 * An exact conditional density p(x | c) over x in R^d given a context c in R^k. The one narrow interface the rest
 * of Flowcast sees: it knows nothing of Kafka, HTTP or how the density was trained or is executed.
 *
 * <p>Batches are flat row-major float arrays: {@code x} holds {@code batch * dimension()} values and {@code c}
 * holds {@code batch * contextDimension()} values (an empty array when k = 0).
 */
public interface ConditionalDensity {

    int dimension();

    int contextDimension();

    /** Log-densities (natural log, in the original units of x) of a batch; one value per row. */
    float[] logProb(float[] x, float[] c, int batch);

    /**
     * Draws {@code n} samples for each of {@code batch} contexts. Returns {@code batch * n * dimension()} values,
     * row-major as [batch][n][dimension]. The same seed gives the same samples.
     */
    float[] sample(float[] c, int batch, int n, long seed);

    /**
     * Draws {@code n} samples for each of {@code batch} contexts, row i seeded by {@code seeds[i]}: returns
     * {@code batch * n * dimension()} values, [batch][n][dimension]. Per-row seeds make a row's samples independent
     * of what else shares its batch, so a micro-batched record gets the same samples as one scored alone. The default
     * draws row by row; a density served in batches may override it with one call.
     */
    default float[] sampleEach(float[] c, int batch, int n, long[] seeds) {
        int k = contextDimension();
        int d = dimension();
        if (batch == 1) {
            return sample(c, 1, n, seeds[0]);
        }
        float[] out = new float[batch * n * d];
        for (int i = 0; i < batch; i++) {
            float[] row = java.util.Arrays.copyOfRange(c, i * k, (i + 1) * k);
            System.arraycopy(sample(row, 1, n, seeds[i]), 0, out, i * n * d, n * d);
        }
        return out;
    }

    /**
     * Per-feature conditional medians of x for each of {@code batch} contexts ({@code batch * dimension()} values,
     * row-major) where this density knows them exactly; empty where it does not, and a caller estimates them from
     * samples. A density that overrides this must return the true medians, not an approximation.
     */
    default java.util.Optional<float[]> exactMedians(float[] c, int batch) {
        return java.util.Optional.empty();
    }
}
