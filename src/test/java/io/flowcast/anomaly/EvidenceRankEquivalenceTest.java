package io.flowcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The direct rank ({@link MarginalTail#tailAmong}) that {@link EntityEvidence} uses gives bit for bit what a
 * {@link MarginalTail} fed the same values gives (the computation it replaced), on generated data with many ties,
 * signed zeros, values beyond the range and non-finite kept values; and {@link EntityEvidence#update} gives bit for
 * bit the combined tail computed from fresh {@link MarginalTail} samples of the state it starts from.
 */
class EvidenceRankEquivalenceTest {

    private static final double TAIL_FRACTION = 0.1;

    @Test
    void theDirectRankIsTheRankOfABuiltSample() {
        SplittableRandom random = new SplittableRandom(11);
        int extended = 0;
        for (int trial = 0; trial < 5000; trial++) {
            int d = 1 + random.nextInt(3);
            int rows = random.nextInt(70);
            float[] ring = new float[rows * d];
            for (int i = 0; i < ring.length; i++) {
                ring[i] = generated(random, trial);
            }
            for (int j = 0; j < d; j++) {
                double value = trial % 97 == 0 ? Double.POSITIVE_INFINITY : generated(random, trial);
                if (trial % 13 == 0) {
                    value *= 4; // often beyond the range: the exponential continuation
                }
                MarginalTail sample = new MarginalTail(Math.max(1, rows), TAIL_FRACTION);
                for (int r = 0; r < rows; r++) {
                    sample.add(ring[r * d + j]);
                }
                double expected = sample.tail(value);
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(
                        MarginalTail.tailAmong(ring, j, rows, d, value, TAIL_FRACTION)),
                        () -> "trial of " + rows + " rows: expected " + expected);
                extended += expected < 1.0 / (rows + 1) ? 1 : 0;
            }
        }
        assertTrue(extended > 100, "values beyond the range were exercised: " + extended);
    }

    @Test
    void updatesGiveTheTailsOfFreshSamplesOfTheirState() {
        EntityEvidence.Settings settings = new EntityEvidence.Settings(64, 48, Duration.ofSeconds(60), 12, 32,
                TAIL_FRACTION);
        EntityEvidence evidence = new EntityEvidence(settings);
        SplittableRandom random = new SplittableRandom(29);
        EntityEvidence.State state = null;
        int seasonalRanks = 0;
        for (int i = 0; i < 6000; i++) {
            long t = i * 700L + random.nextInt(300);
            // Ties: values on a grid of quarters around a daily-like cycle, with occasional outliers.
            float[] values = new float[2];
            for (int j = 0; j < 2; j++) {
                double raw = 3 * Math.sin(2 * Math.PI * (t % 60_000) / 60_000.0) + random.nextGaussian()
                        + (random.nextInt(50) == 0 ? 12 * random.nextGaussian() : 0);
                values[j] = (float) (Math.round(raw * 4) / 4.0);
            }
            double flowTail = random.nextDouble();
            EntityEvidence.Step step = evidence.update(state, t, values, flowTail);
            EntityEvidence.State before = state == null ? evidence.empty(2) : state;
            double[] reference = reference(settings, before, t, values, flowTail);
            seasonalRanks += reference[1] > 1 + 2 ? 1 : 0;
            assertEquals(Double.doubleToRawLongBits(reference[0]), Double.doubleToRawLongBits(step.tail()),
                    "record " + i);
            state = step.next();
        }
        assertTrue(seasonalRanks > 1000, "the seasonal view took part: " + seasonalRanks);
    }

    /** The combined tail and its number of sources, each view ranked by a freshly fed {@link MarginalTail}. */
    private static double[] reference(EntityEvidence.Settings settings, EntityEvidence.State s, long t,
            float[] values, double flowTail) {
        int d = values.length;
        double lowest = flowTail;
        int sources = 1;
        if (s.recentSize() >= settings.minValues()) {
            for (int j = 0; j < d; j++) {
                lowest = Math.min(lowest, sampleTail(s.recent(), s.recentSize(), d, j, values[j]));
            }
            sources += d;
        }
        long seasonMillis = settings.season().toMillis();
        int slot = (int) (Math.floorMod(t, seasonMillis) * settings.seasonSlots() / seasonMillis);
        int season = (int) Math.floorDiv(t, seasonMillis);
        float[] previous = new float[d];
        for (int j = 0; j < d; j++) {
            previous[j] = s.slotSeason()[slot] != season && s.count()[slot] > 0
                    ? s.sum()[slot * d + j] / s.count()[slot] : s.previous()[slot * d + j];
        }
        if (!Float.isNaN(previous[0]) && s.residualSize() >= settings.minValues()) {
            for (int j = 0; j < d; j++) {
                float difference = values[j] - previous[j];
                lowest = Math.min(lowest, sampleTail(s.residuals(), s.residualSize(), d, j, difference));
            }
            sources += d;
        }
        return new double[] {Math.min(1.0, sources * lowest), sources};
    }

    private static double sampleTail(float[] ring, int rows, int d, int j, double value) {
        MarginalTail sample = new MarginalTail(rows, TAIL_FRACTION);
        for (int r = 0; r < rows; r++) {
            sample.add(ring[r * d + j]);
        }
        return sample.tail(value);
    }

    /** Coarse values (many ties), signed zeros, and now and then a non-finite value the sample must skip. */
    private static float generated(SplittableRandom random, int trial) {
        int kind = random.nextInt(100);
        if (kind == 0 && trial % 7 == 0) {
            return random.nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY;
        }
        if (kind < 8) {
            return random.nextBoolean() ? 0.0f : -0.0f;
        }
        return (float) (Math.round(random.nextGaussian() * 3) / 2.0);
    }
}
