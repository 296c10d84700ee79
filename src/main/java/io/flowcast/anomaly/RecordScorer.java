package io.flowcast.anomaly;

import io.flowcast.flow.ConditionalDensity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores one record with any {@link ConditionalDensity}: the log-density, its calibrated tail probability, the
 * expected values (per-feature medians of samples drawn for the record's context) and an attribution. The
 * attribution of feature i is log p(x with x_i replaced by its expected value) - log p(x): the nats the record
 * would have gained had that feature been ordinary. It needs only log-densities, so it works for flows and
 * Gaussians alike, at the cost of one batched call of d + 1 rows. Non-finite values (JSON cannot carry them) are
 * left out of the expected values and count as no contribution.
 */
public final class RecordScorer {

    private final int expectedSamples;

    /** @param expectedSamples samples drawn per record to estimate the expected values (the median needs a few) */
    public RecordScorer(int expectedSamples) {
        if (expectedSamples < 1) {
            throw new IllegalArgumentException("expectedSamples must be positive");
        }
        this.expectedSamples = expectedSamples;
    }

    /**
     * @param features the names of x's columns, in order
     * @param seed     seeds the samples; derive it from the record's identity so a replay gives the same output
     */
    public RecordScore score(ConditionalDensity density, HeldOutCalibration calibration, double threshold,
            List<String> features, float[] x, float[] context, long seed) {
        int d = density.dimension();
        float[] medians = sampleMedians(density, context, d, seed);

        // Row 0 is the record itself; row 1 + i has feature i replaced by its expected value.
        float[] rows = new float[(d + 1) * d];
        float[] contexts = new float[(d + 1) * context.length];
        for (int r = 0; r <= d; r++) {
            System.arraycopy(x, 0, rows, r * d, d);
            System.arraycopy(context, 0, contexts, r * context.length, context.length);
            if (r > 0) {
                rows[r * d + (r - 1)] = medians[r - 1];
            }
        }
        float[] logProbs = density.logProb(rows, contexts, d + 1);
        double logDensity = logProbs[0];

        List<Contribution> attribution = new ArrayList<>(d);
        Map<String, Double> expected = new LinkedHashMap<>();
        for (int i = 0; i < d; i++) {
            double contribution = logProbs[i + 1] - logDensity;
            attribution.add(new Contribution(features.get(i), Double.isFinite(contribution) ? contribution : 0));
            if (Float.isFinite(medians[i])) {
                expected.put(features.get(i), (double) medians[i]);
            }
        }
        attribution.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.contribution())));

        double tail = calibration.tailProbability(-logDensity);
        return new RecordScore(logDensity, tail, threshold, tail <= threshold, List.copyOf(attribution),
                expected);
    }

    private float[] sampleMedians(ConditionalDensity density, float[] context, int d, long seed) {
        float[] samples = density.sample(context, 1, expectedSamples, seed);
        float[] medians = new float[d];
        float[] column = new float[expectedSamples];
        for (int j = 0; j < d; j++) {
            for (int s = 0; s < expectedSamples; s++) {
                column[s] = samples[s * d + j];
            }
            Arrays.sort(column);
            int mid = expectedSamples / 2;
            medians[j] = expectedSamples % 2 == 1 ? column[mid] : (column[mid - 1] + column[mid]) / 2;
        }
        return medians;
    }
}
