package io.flowcast.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClockCoverageTest {

    private static final ContextSpec ALL = new ContextSpec(1, true);
    private static final long MONDAY_NOON = Instant.parse("2026-11-23T12:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    /** Contexts of one feature, one record every {@code step} from {@code from} for {@code span}, in time order. */
    private static float[] contexts(ContextSpec spec, long from, long span, long step) {
        int rows = (int) (span / step);
        int k = spec.dimension(1);
        float[] out = new float[rows * k];
        for (int i = 0; i < rows; i++) {
            long t = from + i * step;
            System.arraycopy(spec.build(new float[] {i}, 1, 1, t - step, t), 0, out, i * k, k);
        }
        return out;
    }

    private static ContextSpec choose(ClockCoverage clock, long span, long step) {
        return clock.choose(ALL, contexts(ALL, MONDAY_NOON, span, step), (int) (span / step), 1);
    }

    @Test
    void minutesOfDataKeepOnlyTheGap() {
        assertEquals(new ContextSpec(1, false, false, true), choose(ClockCoverage.DEFAULT, 20 * MINUTE, 1000));
        assertEquals(20.0 / 1440, ClockCoverage.coveredDays(ALL, contexts(ALL, MONDAY_NOON, 20 * MINUTE, 1000),
                1200, 1), 1e-4);
    }

    @Test
    void threeDaysKeepHourOfDayButNotDayOfWeek() {
        assertEquals(new ContextSpec(1, true, false, true), choose(ClockCoverage.DEFAULT, 3 * DAY, 5 * MINUTE));
    }

    @Test
    void aFullWeekKeepsEverything() {
        assertEquals(ALL, choose(ClockCoverage.DEFAULT, 7 * DAY, 10 * MINUTE));
        assertEquals(ALL, choose(ClockCoverage.DEFAULT, 30 * DAY, HOUR));
    }

    @Test
    void aDayLessOneStepIsAFullDayButHalfADayIsNot() {
        assertEquals(new ContextSpec(1, true, false, true), choose(ClockCoverage.DEFAULT, DAY, MINUTE));
        assertEquals(new ContextSpec(1, false, false, true), choose(ClockCoverage.DEFAULT, DAY / 2, MINUTE));
        assertEquals(new ContextSpec(1, true, false, true), choose(new ClockCoverage(0.5, 7), DAY / 2, MINUTE),
                "the threshold is configurable");
    }

    @Test
    void manyEntitiesAtTheSameInstantsCountOnce() {
        int k = ALL.dimension(1);
        float[] one = contexts(ALL, MONDAY_NOON, 20 * MINUTE, 10_000);
        int rows = one.length / k;
        float[] five = new float[one.length * 5];
        for (int i = 0; i < rows; i++) {
            for (int e = 0; e < 5; e++) {
                System.arraycopy(one, i * k, five, (i * 5 + e) * k, k);
            }
        }
        assertEquals(new ContextSpec(1, false, false, true), ClockCoverage.DEFAULT.choose(ALL, five, rows * 5, 1));
    }

    @Test
    void withoutDayOfWeekColumnsTheHourAloneJudges() {
        ContextSpec hourOnly = new ContextSpec(1, true, false, true);
        assertEquals(hourOnly, ClockCoverage.DEFAULT.choose(hourOnly, contexts(hourOnly, MONDAY_NOON, 2 * DAY,
                MINUTE), (int) (2 * DAY / MINUTE), 1));
        assertEquals(new ContextSpec(1, false, false, true), ClockCoverage.DEFAULT.choose(hourOnly,
                contexts(hourOnly, MONDAY_NOON, HOUR, MINUTE), 60, 1));
    }

    @Test
    void specsWithoutClockColumnsAndTinyInputsAreLeftAlone() {
        ContextSpec none = new ContextSpec(2, false);
        assertEquals(none, ClockCoverage.DEFAULT.choose(none, new float[3], 1, 1));
        assertEquals(new ContextSpec(1, false, false, true), ClockCoverage.DEFAULT.choose(ALL, new float[0], 0, 1));
        assertEquals(ALL, ClockCoverage.ALWAYS.choose(ALL, new float[0], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ClockCoverage(-1, 7));
        assertThrows(IllegalArgumentException.class, () -> new ClockCoverage(1, 8));
    }
}
