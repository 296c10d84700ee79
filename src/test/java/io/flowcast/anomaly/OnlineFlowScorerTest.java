package io.flowcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.ContextSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Trains real flows online (a few small fits), so it is slow. */
@Tag("slow")
class OnlineFlowScorerTest {

    private static final int N = 900;
    private static final int SPIKE = 800;
    private static final long START = 1_700_000_000_000L;
    private static final long STEP = 300_000L; // 5 minutes

    private static final OnlineFlowScorer.Settings SETTINGS = new OnlineFlowScorer.Settings(
            ContextSpec.eventStream(6), 300, 250, 2000, 100, 1000, 1, 0.1, 2, 16, 8, 120, 5)
            .withEvidence(StreamEvidence.Settings.defaults());

    /** A daily-ish cycle with noise, and one spike at {@link #SPIKE}. */
    private static float[] series(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[N];
        for (int t = 0; t < N; t++) {
            v[t] = (float) (10 * Math.sin(2 * Math.PI * t / 96.0) + random.nextGaussian());
        }
        v[SPIKE] += 25;
        return v;
    }

    private static OnlineFlowScorer.Result[] run(float[] values) {
        OnlineFlowScorer.Result[] results = new OnlineFlowScorer.Result[values.length];
        try (OnlineFlowScorer scorer = new OnlineFlowScorer("test", List.of("v"), SETTINGS)) {
            for (int t = 0; t < values.length; t++) {
                results[t] = scorer.score(START + t * STEP, new float[] {values[t]});
            }
            assertEquals(3, scorer.fits(), "first fit at 300 pairs, refits at 550 and 800");
            assertEquals(0, scorer.failedFits());
        }
        return results;
    }

    @Test
    void warmsUpThenGradesTheSpikeAsAnomalousWithoutLookingAhead() {
        float[] values = series(1);
        OnlineFlowScorer.Result[] results = run(values);

        // Warming up: the first fit happens after pair 300 (record 306 with window 6); no grade before it.
        for (int t = 0; t <= 305; t++) {
            assertTrue(results[t].warmingUp(), "record " + t);
            assertEquals(0.0, results[t].grade());
            assertEquals(1.0, results[t].alarmTail(), "no alarm while warming up");
        }
        assertTrue(!results[307].warmingUp() && Double.isFinite(results[307].raw()));

        assertTrue(results[SPIKE].grade() > 0.999, "spike grade " + results[SPIKE].grade());
        int above = 0;
        for (int t = 320; t < SPIKE; t++) {
            above += results[t].grade() > 0.999 ? 1 : 0;
        }
        assertTrue(above <= 5, above + " ordinary records graded above 0.999");

        // The alarm tail (flow, marginal and day-over-day views, repeats dropped) fires on the spike too, and
        // rarely elsewhere.
        assertTrue(results[SPIKE].alarmGrade() > 0.999, "spike alarm grade " + results[SPIKE].alarmGrade());
        int alarms = 0;
        for (int t = 320; t < SPIKE; t++) {
            alarms += results[t].alarmGrade() > 0.999 ? 1 : 0;
            // Never less extreme than the flow's own tail allows: at most 3 x it (Bonferroni over three views),
            // unless dropped as a repeat (1).
            assertTrue(results[t].alarmTail() == 1.0 || results[t].alarmTail() <= 3 * results[t].tail() * (1 + 1e-12),
                    "record " + t + ": alarm tail " + results[t].alarmTail() + ", tail " + results[t].tail());
        }
        assertTrue(alarms <= 5, alarms + " ordinary records alarmed above 0.999");

        // Leak-freedom: changing the spike and everything after it leaves every earlier score exactly as it was.
        float[] changed = values.clone();
        for (int t = SPIKE; t < N; t++) {
            changed[t] = -changed[t] * 3;
        }
        OnlineFlowScorer.Result[] again = run(changed);
        for (int t = 0; t < SPIKE; t++) {
            assertEquals(results[t], again[t], "record " + t);
        }
    }
}
