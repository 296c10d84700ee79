package io.flowcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** One entity's alarm evidence: the views, their warm-up, the Bonferroni combination and the compact state. */
class EntityEvidenceTest {

    private static final EntityEvidence.Settings MARGINAL_ONLY =
            new EntityEvidence.Settings(64, 0, Duration.ofDays(1), 0, 32, 0.1);

    @Test
    void aValueFarOutsideTheEntitysRecentValuesIsCombinedWithTheFlowTailByBonferroni() {
        EntityEvidence evidence = new EntityEvidence(MARGINAL_ONLY);
        SplittableRandom random = new SplittableRandom(3);
        EntityEvidence.State state = null;
        float[] seen = new float[80];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = (float) random.nextGaussian();
            EntityEvidence.Step step = evidence.update(state, i * 1000L, new float[] {seen[i]}, 0.4);
            // Below min-values the marginal view does not count: the evidence is the flow's tail alone.
            if (i < 32) {
                assertEquals(0.4, step.tail());
            }
            state = step.next();
        }
        MarginalTail reference = new MarginalTail(64, 0.1);
        for (int i = seen.length - 64; i < seen.length; i++) {
            reference.add(seen[i]);
        }
        double marginal = reference.tail(9.0);
        assertTrue(marginal < 1e-4, "9 sigma is far out: " + marginal);
        EntityEvidence.Step far = evidence.update(state, 81_000L, new float[] {9f}, 0.3);
        assertEquals(Math.min(1.0, 2 * Math.min(0.3, marginal)), far.tail());
        // An ordinary value: the flow's tail dominates, doubled.
        EntityEvidence.Step ordinary = evidence.update(state, 81_000L, new float[] {0f}, 0.3);
        assertEquals(Math.min(1.0, 2 * Math.min(0.3, reference.tail(0.0))), ordinary.tail());
        assertEquals(64, far.next().recentSize());
        assertEquals(9f, far.next().recent()[63]);
    }

    @Test
    void theSeasonalViewComparesAValueWithTheSameSlotOfThePreviousSeason() {
        // A 10-second season of 100 slots, a record every 25 ms: 4 records per slot and season.
        EntityEvidence evidence = new EntityEvidence(new EntityEvidence.Settings(0, 64, Duration.ofSeconds(10), 100,
                32, 0.1));
        EntityEvidence.State state = null;
        long t = 0;
        int graded = 0;
        int small = 0;
        for (; t < 60_000; t += 25) {
            EntityEvidence.Step step = evidence.update(state, t, new float[] {cycle(t)}, 0.5);
            if (state != null && state.residualSize() >= 32) {
                graded++;
                small += step.tail() <= 0.01 ? 1 : 0;
            }
            state = step.next();
        }
        // The seasonal cycle itself is not news: at 0.01, about one ordinary record in a hundred or fewer.
        assertTrue(graded > 1900 && small <= 0.02 * graded, small + " of " + graded + " at or under 0.01");
        // The slot of t = 60 s (slot 0) remembers the mean of its values in the previous season (50 s to 50.1 s).
        float mean = 0;
        for (long s = 50_000; s < 50_100; s += 25) {
            mean += cycle(s);
        }
        EntityEvidence.Step shifted = evidence.update(state, t, new float[] {cycle(t) + 3}, 0.5);
        assertEquals(mean / 4, shifted.next().previous()[0], 1e-6);
        assertTrue(shifted.tail() < 1e-3, "a value 3 above its slot's last season: " + shifted.tail());
        EntityEvidence.Step usual = evidence.update(state, t, new float[] {cycle(t)}, 0.5);
        assertTrue(usual.tail() > 0.05, "the usual value: " + usual.tail());
    }

    private static float cycle(long t) {
        return (float) (10 * Math.sin(2 * Math.PI * t / 10_000.0) + 0.1 * Math.cos(t / 70.0));
    }

    @Test
    void aRecordThatIsNotScoredOnlyTeaches() {
        EntityEvidence evidence = new EntityEvidence(MARGINAL_ONLY);
        EntityEvidence.Step step = evidence.update(null, 0, new float[] {1, 2}, Double.NaN);
        assertTrue(Double.isNaN(step.tail()));
        assertEquals(1, step.next().recentSize());
        assertArrayEquals(new float[] {1, 2}, step.next().recent());
        EntityEvidence.Step nonFinite = evidence.update(step.next(), 1, new float[] {Float.NaN, 2}, 0.2);
        assertEquals(0.2, nonFinite.tail());
        assertEquals(step.next(), nonFinite.next());
    }

    @Test
    void theStateRoundTripsThroughItsBytesAndCostsAFewHundredBytesPerFeature() {
        EntityEvidence evidence = new EntityEvidence(EntityEvidence.Settings.defaults());
        EntityEvidence.State state = null;
        SplittableRandom random = new SplittableRandom(5);
        for (long t = 0; t < 3 * 86_400_000L; t += 600_000) {
            state = evidence.update(state, t, new float[] {(float) random.nextGaussian(),
                (float) random.nextGaussian()}, 0.5).next();
        }
        byte[] bytes = state.toBytes();
        assertEquals(state, EntityEvidence.State.fromBytes(bytes));
        assertEquals(64, state.recentSize());
        assertEquals(64, state.residualSize());
        // 64 values and 64 differences of 2 floats, 24 slots of (season, count, 2 x (previous, sum)).
        assertEquals(17 + 4 * 2 * (64 + 64) + 24 * (8 + 16), bytes.length);
        assertThrows(IllegalArgumentException.class,
                () -> EntityEvidence.State.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)));
        assertThrows(IllegalArgumentException.class,
                () -> EntityEvidence.State.fromBytes(Arrays.copyOf(bytes, bytes.length + 1)));
    }

    @Test
    void aStateStoredUnderOtherSettingsKeepsItsNewestValues() {
        EntityEvidence wide = new EntityEvidence(new EntityEvidence.Settings(8, 0, Duration.ofDays(1), 0, 2, 0.1));
        EntityEvidence.State state = null;
        for (int i = 0; i < 8; i++) {
            state = wide.update(state, i, new float[] {i}, 0.5).next();
        }
        EntityEvidence narrow = new EntityEvidence(new EntityEvidence.Settings(4, 0, Duration.ofDays(1), 0, 2, 0.1));
        EntityEvidence.State next = narrow.update(state, 9, new float[] {9}, 0.5).next();
        assertArrayEquals(new float[] {5, 6, 7, 9}, next.recent());
    }
}
