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
}
