package io.flowcast.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventHistoryTest {

    private static final ContextSpec SPEC = ContextSpec.eventStream(4);
    private static final int D = 2;
    private static final int N = 60;

    /** The contexts a stream yields when each record's context is built before the record is appended. */
    private static List<float[]> streamContexts(float[][] values, long[] times) {
        EventHistory history = new EventHistory(SPEC, D);
        List<float[]> contexts = new ArrayList<>();
        for (int t = 0; t < values.length; t++) {
            contexts.add(history.context(times[t]));
            history.append(times[t], values[t]);
        }
        return contexts;
    }

    private static float[][] randomValues(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] values = new float[N][D];
        for (float[] row : values) {
            for (int j = 0; j < D; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return values;
    }

    private static long[] irregularTimes(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] times = new long[N];
        long t = 1_700_000_000_000L;
        for (int i = 0; i < N; i++) {
            t += 60_000 + random.nextInt(600_000);
            times[i] = t;
        }
        return times;
    }

    @Test
    void contextOfRecordTUsesOnlyEarlierRecords() {
        float[][] values = randomValues(1);
        long[] times = irregularTimes(2);
        List<float[]> original = streamContexts(values, times);
        for (int t = 0; t < N; t++) {
            // Rewrite record t and everything after it (values and later times); context t must not move.
            float[][] changed = Arrays.stream(values).map(float[]::clone).toArray(float[][]::new);
            long[] changedTimes = times.clone();
            for (int s = t; s < N; s++) {
                changed[s][0] += 1000;
                changed[s][1] = -changed[s][1];
                if (s > t) {
                    changedTimes[s] += 123_456;
                }
            }
            List<float[]> perturbed = streamContexts(changed, changedTimes);
            for (int s = 0; s <= t; s++) {
                assertArrayEquals(original.get(s), perturbed.get(s), "context of record " + s);
            }
        }
    }

    @Test
    void equalsTheSpecBuiltOnThePrefixBeforeTheRecord() {
        float[][] values = randomValues(3);
        long[] times = irregularTimes(4);
        List<float[]> contexts = streamContexts(values, times);
        for (int t = 0; t < N; t++) {
            if (t < SPEC.window()) {
                assertNull(contexts.get(t), "no context before " + SPEC.window() + " records");
                continue;
            }
            float[] prefix = new float[t * D];
            for (int s = 0; s < t; s++) {
                System.arraycopy(values[s], 0, prefix, s * D, D);
            }
            assertArrayEquals(SPEC.build(prefix, t, D, times[t - 1], times[t]), contexts.get(t));
            float[] context = contexts.get(t);
            assertEquals(values[t - 1][0], context[0], "newest value first is record t-1, never t");
            assertEquals((float) Math.log1p((times[t] - times[t - 1]) / 1000.0), context[context.length - 1], 1e-6);
        }
    }

    @Test
    void skipsNonFiniteRecordsAndChecksWidth() {
        EventHistory history = new EventHistory(ContextSpec.eventStream(1), 1);
        assertTrue(history.append(1000, new float[] {1}));
        assertFalse(history.append(2000, new float[] {Float.NaN}));
        assertEquals(1, history.appended());
        assertEquals(1000, history.lastEventTime());
        assertEquals(1f, history.context(3000)[0]);
        assertThrows(IllegalArgumentException.class, () -> history.append(1, new float[2]));
    }

    @Test
    void namesFollowTheBuildOrder() {
        List<String> names = new ContextSpec(2, true).names(List.of("v"));
        assertEquals(List.of("v[t-1]", "v[t-2]", "d_v[t-1]", "hour_sin", "hour_cos", "dow_sin", "dow_cos", "log_gap_s"),
                names);
        assertEquals(new ContextSpec(3, false).dimension(2), new ContextSpec(3, false).names(List.of("a", "b")).size());
    }
}
