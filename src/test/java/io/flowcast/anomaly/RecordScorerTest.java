package io.flowcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.ConditionalDensity;
import io.flowcast.flow.GaussianDensity;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecordScorerTest {

    private static GaussianDensity density;
    private static HeldOutCalibration calibration;
    private final RecordScorer scorer = new RecordScorer(64);
    private final List<String> features = List.of("a", "b");

    /** Two independent features: a ~ N(c, 1), b ~ N(-c, 0.25). */
    @BeforeAll
    static void fit() {
        SplittableRandom random = new SplittableRandom(5);
        int n = 4_000;
        float[] x = new float[2 * n];
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            c[i] = (float) random.nextGaussian();
            x[2 * i] = (float) (c[i] + random.nextGaussian());
            x[2 * i + 1] = (float) (-c[i] + 0.5 * random.nextGaussian());
        }
        density = GaussianDensity.fit(x, c, n, 2, 1, 1e-6);
        double[] held = new double[1_000];
        for (int i = 0; i < held.length; i++) {
            float ci = (float) random.nextGaussian();
            float[] xi = {(float) (ci + random.nextGaussian()), (float) (-ci + 0.5 * random.nextGaussian())};
            held[i] = -density.logProb(xi, new float[] {ci}, 1)[0];
        }
        calibration = HeldOutCalibration.of(held);
    }

    @Test
    void anOrdinaryRecordIsNotAnomalousAndItsExpectationIsTheConditionalMean() {
        RecordScore score = scorer.score(density, calibration, 0.01, features, new float[] {2.1f, -1.9f},
                new float[] {2f}, 1);
        assertFalse(score.anomalous());
        assertTrue(score.tailProbability() > 0.5, "tail " + score.tailProbability());
        // A Gaussian knows its medians: the conditional mean, exactly.
        double[] mean = density.conditionalMean(new float[] {2f}, 0);
        assertEquals((float) mean[0], score.expected().get("a"), 0);
        assertEquals((float) mean[1], score.expected().get("b"), 0);
        assertEquals(2.0, score.expected().get("a"), 0.1);
        assertEquals(-2.0, score.expected().get("b"), 0.1);
        assertEquals(density.logProb(new float[] {2.1f, -1.9f}, new float[] {2f}, 1)[0], score.logDensity(), 1e-6);
    }

    @Test
    void aDensityWithoutExactMediansGetsTheMediansOfItsSamples() {
        ConditionalDensity sampledOnly = new ConditionalDensity() {
            public int dimension() {
                return density.dimension();
            }

            public int contextDimension() {
                return density.contextDimension();
            }

            public float[] logProb(float[] x, float[] c, int batch) {
                return density.logProb(x, c, batch);
            }

            public float[] sample(float[] c, int batch, int n, long seed) {
                return density.sample(c, batch, n, seed);
            }
        };
        RecordScore score = scorer.score(sampledOnly, calibration, 0.01, features, new float[] {2.1f, -1.9f},
                new float[] {2f}, 1);
        float[] samples = density.sample(new float[] {2f}, 1, 64, 1);
        float[] a = new float[64];
        for (int s = 0; s < 64; s++) {
            a[s] = samples[2 * s];
        }
        java.util.Arrays.sort(a);
        assertEquals((a[31] + a[32]) / 2, score.expected().get("a"), 0);
        assertEquals(2.0, score.expected().get("a"), 0.3);
        assertEquals(-2.0, score.expected().get("b"), 0.15);
        RecordScore exact = scorer.score(density, calibration, 0.01, features, new float[] {2.1f, -1.9f},
                new float[] {2f}, 1);
        assertEquals(exact.logDensity(), score.logDensity(), 0);
    }

    @Test
    void anOutlierInOneFeatureIsAnomalousAndAttributedToIt() {
        RecordScore score = scorer.score(density, calibration, 0.01, features, new float[] {2.0f, 1.0f},
                new float[] {2f}, 1);
        assertTrue(score.anomalous());
        assertEquals(1 / 1001.0, score.tailProbability(), 1e-12);
        assertEquals("b", score.attribution().get(0).feature());
        // b sits 6 standard deviations out: moving it to its expectation gains about 6^2 / 2 = 18 nats.
        assertEquals(18, score.attribution().get(0).contribution(), 1.5);
        assertEquals(0, score.attribution().get(1).contribution(), 0.1);
    }

    @Test
    void theSameSeedGivesTheSameDescriptor() {
        RecordScore first = scorer.score(density, calibration, 0.01, features, new float[] {0f, 0f},
                new float[] {0f}, 42);
        RecordScore second = scorer.score(density, calibration, 0.01, features, new float[] {0f, 0f},
                new float[] {0f}, 42);
        assertEquals(first, second);
    }
}
