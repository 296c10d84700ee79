package io.flowcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamEvidenceTest {

    private static final long FIVE_MINUTES = 300_000L;
    private static final int DAY = 288;

    /** A daily cycle every 5 minutes with a little noise; from {@code flatFrom} on, one day stays flat at its mean. */
    private static float[] dailyCycle(int n, int flatFrom, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            boolean flat = flatFrom >= 0 && i >= flatFrom && i < flatFrom + DAY;
            v[i] = (float) ((flat ? 0 : 10 * Math.sin(2 * Math.PI * i / DAY)) + 0.3 * random.nextGaussian());
        }
        return v;
    }

    private static double[] run(StreamEvidence.Settings settings, float[] values, int warmUp) {
        StreamEvidence evidence = new StreamEvidence(settings, 1);
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            // A stand-in conditional tail that never alarms, so the test sees the two context-free views alone.
            out[i] = evidence.score(i * FIVE_MINUTES, new float[] {values[i]}, 0.5, i >= warmUp);
        }
        return out;
    }

    @Test
    void aDayUnlikeTheDayBeforeAlarmsThoughEveryValueIsOrdinary() {
        float[] values = dailyCycle(6 * DAY, 4 * DAY + DAY / 4 - 10, 1);
        StreamEvidence.Settings seasonalOnly = new StreamEvidence.Settings(0, 3000, 2000, 0.1,
                new AlarmEpisodes.Settings(0.001, 50, 1.0));
        double[] tails = run(seasonalOnly, values, 2 * DAY);
        double normal = 1.0;
        double flatDay = 1.0;
        for (int i = 2 * DAY; i < values.length; i++) {
            boolean inFlat = i >= 4 * DAY + DAY / 4 - 10 && i < 5 * DAY + DAY / 4 - 10;
            if (inFlat) {
                flatDay = Math.min(flatDay, tails[i]);
            } else if (i < 4 * DAY) {
                normal = Math.min(normal, tails[i]);
            }
        }
        assertTrue(flatDay < 1e-6, "flat day " + flatDay);
        assertTrue(normal > 1e-4, "ordinary days " + normal);

        StreamEvidence.Settings marginalOnly = new StreamEvidence.Settings(500, 0, 2000, 0.1,
                new AlarmEpisodes.Settings(0.001, 50, 1.0));
        double[] marginal = run(marginalOnly, values, 2 * DAY);
        double lowest = 1.0;
        for (int i = 2 * DAY; i < values.length; i++) {
            lowest = Math.min(lowest, marginal[i]);
        }
        assertTrue(lowest > 1e-3, "the flat values are all inside the usual range: " + lowest);
    }

    @Test
    void theDayIsEstimatedFromTheFirstGaps() {
        StreamEvidence evidence = new StreamEvidence(StreamEvidence.Settings.defaults(), 1);
        assertEquals(-1, evidence.period());
        for (int i = 0; i < 40; i++) {
            evidence.score(i * FIVE_MINUTES, new float[] {i}, 1.0, false);
        }
        assertEquals(DAY, evidence.period());

        StreamEvidence sparse = new StreamEvidence(StreamEvidence.Settings.defaults(), 1);
        for (int i = 0; i < 40; i++) {
            sparse.score(i * 86_400_000L * 2, new float[] {i}, 1.0, false);
        }
        assertEquals(0, sparse.period(), "a record every two days has no day to compare with");
    }

    @Test
    void aValueNeverSeenLatelyAlarmsOnceAndItsRepeatsAreDropped() {
        SplittableRandom random = new SplittableRandom(2);
        StreamEvidence evidence = new StreamEvidence(StreamEvidence.Settings.defaults(), 1);
        double[] out = new double[1200];
        for (int i = 0; i < out.length; i++) {
            float v = (float) (random.nextGaussian() + (i >= 1000 ? 30 : 0));
            out[i] = evidence.score(i * 60_000L, new float[] {v}, 0.5, i >= 300);
        }
        assertTrue(out[1000] < 1e-4, "the level shift alarms: " + out[1000]);
        int repeats = 0;
        for (int i = 1001; i < 1050; i++) {
            repeats += out[i] < 1e-3 ? 1 : 0;
        }
        assertEquals(0, repeats, "the records after it are no news");
        for (int i = 0; i < 300; i++) {
            assertEquals(1.0, out[i], "warming up reports nothing");
        }
    }

    @Test
    void causalAndConditionalOnlyPassesTheFlowTailThrough() {
        float[] values = dailyCycle(3 * DAY, -1, 4);
        float[] changed = values.clone();
        for (int i = 2 * DAY; i < changed.length; i++) {
            changed[i] += 1000;
        }
        for (StreamEvidence.Settings settings : java.util.List.of(StreamEvidence.Settings.defaults(),
                StreamEvidence.Settings.multiScale(),
                StreamEvidence.Settings.defaults().withScales(java.util.List.of(6), java.util.List.of(12), 300))) {
            double[] before = run(settings, values, DAY);
            double[] after = run(settings, changed, DAY);
            assertArrayEquals(java.util.Arrays.copyOf(before, 2 * DAY), java.util.Arrays.copyOf(after, 2 * DAY),
                    "a record's alarm tail depends on earlier records only: " + settings);
            assertTrue(after[2 * DAY] < 1e-3, "and the jump itself alarms: " + after[2 * DAY]);
        }

        StreamEvidence plain = new StreamEvidence(StreamEvidence.Settings.conditionalOnly(), 1);
        for (int i = 0; i < 100; i++) {
            double tail = (i % 7 + 1) / 1000.0;
            assertEquals(tail, plain.score(i * 1000L, new float[] {i}, tail, true));
        }
        assertEquals(1.0, plain.score(200_000L, new float[] {Float.NaN}, 1e-9, true), "a NaN record reports nothing");
        assertThrows(IllegalArgumentException.class, () -> plain.score(0, new float[2], 0.5, true));
    }

    /**
     * Lowest tail from {@code from} to the end of a stream of N(0, 1) values, {@code change} applied from record 3000
     * on (the stream is 3200 records long, or 3000 when {@code from} is before 3000: nothing changes).
     */
    private static double lowestAfter(StreamEvidence.Settings settings, java.util.function.DoubleUnaryOperator change,
            int from) {
        SplittableRandom random = new SplittableRandom(5);
        StreamEvidence evidence = new StreamEvidence(settings, 1);
        double lowest = 1.0;
        int n = from < 3000 ? 3000 : 3200;
        for (int i = 0; i < n; i++) {
            double v = random.nextGaussian();
            double tail = evidence.score(i * 60_000L, new float[] {(float) (i >= 3000 ? change.applyAsDouble(v) : v)},
                    0.5, i >= 300);
            if (i >= from) {
                lowest = Math.min(lowest, tail);
            }
        }
        return lowest;
    }

    private static final StreamEvidence.Settings MARGINAL_ONLY = new StreamEvidence.Settings(500, 0, 2000, 0.1,
            new AlarmEpisodes.Settings(0.001, 50, 1.0));

    @Test
    void aLevelAboveTheLongHistoryIsSeenByTheLevelView() {
        // The marginal view keeps 500 values; the level view ranks 24-record means among the last 5000.
        StreamEvidence.Settings withLevels =
                MARGINAL_ONLY.withScales(java.util.List.of(24), java.util.List.of(), 5000);
        double ordinary = lowestAfter(withLevels, v -> v, 300);
        double marginal = lowestAfter(MARGINAL_ONLY, v -> v + 1.0, 3000);
        double level = lowestAfter(withLevels, v -> v + 1.0, 3000);
        assertTrue(level < 1e-3, "a shift of one noise unit, as a 24-record mean: " + level);
        assertTrue(ordinary > 1.5e-3, "no shift, no alarm: " + ordinary);
        assertTrue(marginal > 5e-3, "single values hardly show it: " + marginal);
    }

    @Test
    void noiseThatGrowsIsSeenByTheSpreadView() {
        StreamEvidence.Settings withSpread =
                MARGINAL_ONLY.withScales(java.util.List.of(), java.util.List.of(12), 5000);
        double ordinary = lowestAfter(withSpread, v -> v, 300);
        double spread = lowestAfter(withSpread, v -> 2 * v, 3000);
        assertTrue(spread < ordinary / 4, "noise twice as large: " + spread + " against " + ordinary);
    }

    @Test
    void scalesAreValidatedAndTheOldConstructorHasNone() {
        StreamEvidence.Settings plain = new StreamEvidence.Settings(500, 3000, 2000, 0.1,
                new AlarmEpisodes.Settings(0.001, 50, 1.0));
        assertTrue(plain.levels().isEmpty() && plain.spreads().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> plain.withScales(java.util.List.of(1), java.util.List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> plain.withScales(java.util.List.of(), java.util.List.of(0), 0));
        assertThrows(IllegalArgumentException.class, () -> new StreamEvidence.Settings(0, 3000, 2000, 0.1,
                AlarmEpisodes.Settings.none(), java.util.List.of(4), java.util.List.of(), 0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> plain.withFlowWeight(0.0));
        assertEquals(1.0, plain.flowWeight());
    }

    @Test
    void theFlowWeightScalesItsTailInTheWeightedBonferroniCombination() {
        // Marginal view only, its values all alike (tail 1), so the combination is the flow's tail alone:
        // (w + 1) p / w with one other view.
        StreamEvidence.Settings marginalOnly = new StreamEvidence.Settings(500, 0, 2000, 0.1,
                AlarmEpisodes.Settings.none());
        for (double w : new double[] {1.0, 0.3}) {
            StreamEvidence evidence = new StreamEvidence(marginalOnly.withFlowWeight(w), 1);
            for (int i = 0; i < 50; i++) {
                evidence.score(i * 1000L, new float[] {1f}, 1.0, false);
            }
            double p = 1e-4;
            assertEquals((w + 1) * p / w, evidence.score(50_000L, new float[] {1f}, p, true), 1e-15, "w " + w);
        }
    }
    @Test
    void theHarmonicCombinationAddsUpViewsThatAgreeAndIsNeverAboveBonferroni() {
        StreamEvidence.Settings bonferroni = new StreamEvidence.Settings(500, 0, 2000, 0.1,
                AlarmEpisodes.Settings.none(), java.util.List.of(), java.util.List.of(), 0, 0.1, false);
        StreamEvidence.Settings harmonic = new StreamEvidence.Settings(500, 0, 2000, 0.1,
                AlarmEpisodes.Settings.none(), java.util.List.of(), java.util.List.of(), 0, 0.1, true);
        // One view alone: the flow's tail p with weight 0.1 beside a marginal tail of 1, W / (0.1 / p + 1).
        StreamEvidence alike = new StreamEvidence(harmonic, 1);
        for (int i = 0; i < 50; i++) {
            alike.score(i * 1000L, new float[] {1f}, 1.0, false);
        }
        double p = 1e-4;
        assertEquals(1.1 / (0.1 / p + 1.0), alike.score(50_000L, new float[] {1f}, p, true), 1e-15);

        StreamEvidence a = new StreamEvidence(bonferroni, 1);
        StreamEvidence b = new StreamEvidence(harmonic, 1);
        SplittableRandom random = new SplittableRandom(3);
        int smaller = 0;
        for (int i = 0; i < 2000; i++) {
            float v = (float) random.nextGaussian();
            // A flow tail that agrees with the value's extremity: both views unusual at once in the tails.
            double flowTail = Math.min(1.0, 2 * Math.exp(-v * v / 2) * random.nextDouble());
            double min = a.score(i * 1000L, new float[] {v}, flowTail, i >= 100);
            double mean = b.score(i * 1000L, new float[] {v}, flowTail, i >= 100);
            assertTrue(mean <= min * (1 + 1e-12), "record " + i + ": " + mean + " above " + min);
            if (mean < 0.75 * min) {
                smaller++;
            }
        }
        assertTrue(smaller > 10, "agreeing views make the harmonic mean smaller: " + smaller);
    }
}
