package io.flowcast.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContextSpecTest {

    @Test
    void valuesNewestFirstThenDeltasThenTimeFeatures() {
        ContextSpec spec = new ContextSpec(3, true);
        // Four rows of two features, oldest first; the window uses the newest three.
        float[] history = {0, 0, 1, 10, 3, 20, 6, 40};
        long last = Instant.parse("2024-01-01T06:00:00Z").toEpochMilli(); // a Monday
        long now = last + 9_000;

        float[] context = spec.build(history, 4, 2, last, now);

        assertEquals(3 * 2 + 2 * 2 + 5, spec.dimension(2));
        double hour = 6 + 9.0 / 3600;
        double day = hour / 24; // Monday = 0
        assertArrayEquals(new float[] {
            6, 40, 3, 20, 1, 10,
            3, 20, 2, 10,
            (float) Math.sin(2 * Math.PI * hour / 24), (float) Math.cos(2 * Math.PI * hour / 24),
            (float) Math.sin(2 * Math.PI * day / 7), (float) Math.cos(2 * Math.PI * day / 7),
            (float) Math.log1p(9.0)}, context, 1e-6f);
    }

    @Test
    void withoutTimeFeaturesOnlyValuesAndDeltas() {
        ContextSpec spec = new ContextSpec(2, false);
        assertArrayEquals(new float[] {5, 2, 3}, spec.build(new float[] {2, 5}, 2, 1, 0, 1000));
        assertArrayEquals(new float[] {7}, new ContextSpec(1, false).build(new float[] {7}, 1, 1, 0, 1000));
    }

    @Test
    void aRecordOlderThanTheLastCountsAsNoGap() {
        float[] context = new ContextSpec(1, true).build(new float[] {1}, 1, 1, 10_000, 5_000);
        assertEquals(0f, context[context.length - 1]);
    }

    @Test
    void refusesAShortHistory() {
        assertThrows(IllegalArgumentException.class, () -> new ContextSpec(3, false).build(new float[2], 2, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ContextSpec(0, false));
    }

    @Test
    void aNarrowerSpecTakesTheSameNumbersWithoutTheLeftOutClockColumns() {
        ContextSpec all = new ContextSpec(2, true);
        ContextSpec hourAndGap = new ContextSpec(2, true, false, true);
        ContextSpec gapOnly = new ContextSpec(2, false, false, true);
        float[] history = {1, 10, 2, 30};
        long last = Instant.parse("2024-01-03T15:00:00Z").toEpochMilli();
        long now = last + 60_000;
        float[] twoRows = new float[2 * all.dimension(2)];
        System.arraycopy(all.build(history, 2, 2, last, now), 0, twoRows, 0, all.dimension(2));
        System.arraycopy(all.build(history, 2, 2, last, now + 3_600_000), 0, twoRows, all.dimension(2),
                all.dimension(2));

        for (ContextSpec narrower : new ContextSpec[] {hourAndGap, gapOnly, all}) {
            float[] expected = new float[2 * narrower.dimension(2)];
            System.arraycopy(narrower.build(history, 2, 2, last, now), 0, expected, 0, narrower.dimension(2));
            System.arraycopy(narrower.build(history, 2, 2, last, now + 3_600_000), 0, expected,
                    narrower.dimension(2), narrower.dimension(2));
            assertArrayEquals(expected, all.narrow(twoRows, 2, 2, narrower), narrower.toString());
            assertEquals(narrower.dimension(2), narrower.names(java.util.List.of("a", "b")).size());
        }
        assertEquals(java.util.List.of("a[t-1]", "b[t-1]", "a[t-2]", "b[t-2]", "d_a[t-1]", "d_b[t-1]", "hour_sin",
                "hour_cos", "log_gap_s"), hourAndGap.names(java.util.List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> gapOnly.narrow(new float[gapOnly.dimension(2)], 1, 2,
                hourAndGap), "a spec cannot give columns it does not have");
    }

    @Test
    void timeFeaturesByName() {
        assertEquals(new ContextSpec(3, true), ContextSpec.of(3, new ContextSpec(3, true).timeFeatureNames()));
        assertEquals(java.util.List.of("day-of-week"), new ContextSpec(1, false, true, false).timeFeatureNames());
        assertEquals(new ContextSpec(1, false), ContextSpec.of(1, java.util.List.of()));
        assertThrows(IllegalArgumentException.class, () -> ContextSpec.of(1, java.util.List.of("moon")));
        assertEquals(false, new ContextSpec(1, false).timeFeatures());
        assertEquals(true, new ContextSpec(1, false, false, true).timeFeatures());
    }
}
