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
 * expected values (the per-feature conditional medians given the record's context) and an attribution. The medians
 * are exact where the density knows them ({@link ConditionalDensity#exactMedians}: a Gaussian's means, a
 * one-dimensional flow's image of the base median, one pass for the whole batch); otherwise they are the medians of
 * {@code expectedSamples} samples drawn per record, seeded by the record's identity. The
 * attribution of feature i is log p(x with x_i replaced by its expected value) - log p(x): the nats the record
 * would have gained had that feature been ordinary. It needs only log-densities, so it works for flows and
 * Gaussians alike, at the cost of one batched call of d + 1 rows per record. Non-finite values (JSON cannot carry them) are
 * left out of the expected values and count as no contribution.
 */
public final class RecordScorer {

    private final int expectedSamples;

    /**
     * @param expectedSamples samples drawn per record to estimate the expected values where the density does not
     *                        know its medians exactly (the median needs a few)
     */
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
        return scoreBatch(density, calibration, threshold, features, x, context, new long[] {seed}, 1)[0];
    }

    /**
     * Scores {@code batch} records of one model with two model calls in all: one for every record's expected values
     * (exact medians, or samples), one for the log-densities of all {@code batch * (d + 1)} rows. Record i gets exactly what
     * {@link #score} would give it alone (its samples are seeded by {@code seeds[i]}, rows are independent).
     *
     * @param xs       {@code batch * d} values, row-major
     * @param contexts {@code batch * k} values, row-major
     */
    public RecordScore[] scoreBatch(ConditionalDensity density, HeldOutCalibration calibration, double threshold,
            List<String> features, float[] xs, float[] contexts, long[] seeds, int batch) {
        int d = density.dimension();
        int k = density.contextDimension();
        float[] medians = density.exactMedians(contexts, batch)
                .orElseGet(() -> sampleMedians(density, contexts, batch, d, seeds));

        // Per record: row 0 is the record itself; row 1 + i has feature i replaced by its expected value.
        int perRecord = d + 1;
        float[] rows = new float[batch * perRecord * d];
        float[] rowContexts = new float[batch * perRecord * k];
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r <= d; r++) {
                int row = b * perRecord + r;
                System.arraycopy(xs, b * d, rows, row * d, d);
                System.arraycopy(contexts, b * k, rowContexts, row * k, k);
                if (r > 0) {
                    rows[row * d + (r - 1)] = medians[b * d + r - 1];
                }
            }
        }
        float[] logProbs = density.logProb(rows, rowContexts, batch * perRecord);

        RecordScore[] scores = new RecordScore[batch];
        for (int b = 0; b < batch; b++) {
            int base = b * perRecord;
            double logDensity = logProbs[base];
            List<Contribution> attribution = new ArrayList<>(d);
            Map<String, Double> expected = new LinkedHashMap<>();
            for (int i = 0; i < d; i++) {
                double contribution = logProbs[base + i + 1] - logDensity;
                attribution.add(new Contribution(features.get(i), Double.isFinite(contribution) ? contribution : 0));
                float median = medians[b * d + i];
                if (Float.isFinite(median)) {
                    expected.put(features.get(i), (double) median);
                }
            }
            attribution.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.contribution())));
            double tail = calibration.tailProbability(-logDensity);
            scores[b] = new RecordScore(logDensity, tail, threshold, tail <= threshold, List.copyOf(attribution),
                    expected);
        }
        return scores;
    }

    /** Per record and feature, the median of the record's samples: {@code batch * d} values. */
    private float[] sampleMedians(ConditionalDensity density, float[] contexts, int batch, int d, long[] seeds) {
        float[] samples = density.sampleEach(contexts, batch, expectedSamples, seeds);
        float[] medians = new float[batch * d];
        float[] column = new float[expectedSamples];
        for (int b = 0; b < batch; b++) {
            int base = b * expectedSamples * d;
            for (int j = 0; j < d; j++) {
                for (int s = 0; s < expectedSamples; s++) {
                    column[s] = samples[base + s * d + j];
                }
                Arrays.sort(column);
                int mid = expectedSamples / 2;
                medians[b * d + j] = expectedSamples % 2 == 1 ? column[mid] : (column[mid - 1] + column[mid]) / 2;
            }
        }
        return medians;
    }
}
