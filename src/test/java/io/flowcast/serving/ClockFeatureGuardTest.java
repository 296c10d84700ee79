package io.flowcast.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.ClockCoverage;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.EventHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The warm-up fitter keeps the clock columns only when its records cover the clock's cycle. A stream with a daily
 * season, fitted on its first 20 minutes, is scored over the following hours: the guarded model (no clock columns)
 * keeps its false-alarm rate at alpha; the same fit forced to keep hour-of-day and day-of-week extrapolates those
 * barely-moving columns and alarms on a large share of normal records. Every record is normal here.
 */
class ClockFeatureGuardTest {

    private static final long START = 1_795_000_000_000L;
    private static final long STEP_MILLIS = 10_000;
    private static final int ENTITIES = 10;
    private static final double ALPHA = 0.01;
    private static final int FIT = 600;
    private static final int HOLDOUT = 600;
    /** Scored after the warm-up: a quarter of the daily season. */
    private static final long HORIZON_MILLIS = 6 * 3_600_000L;

    @Test
    void twentyMinutesOfADailySeasonGetNoClockColumnsAndStayCalibrated() {
        Run guarded = run(ClockCoverage.DEFAULT, STEP_MILLIS, HORIZON_MILLIS);
        assertEquals(new ContextSpec(2, false, false, true), guarded.model.context(),
                "20 minutes cover neither a day nor a week");
        double bound = ALPHA + 4 * Math.sqrt(ALPHA * (1 - ALPHA) * (1.0 / guarded.scored + 1.0 / HOLDOUT));
        assertTrue(guarded.scored > 20_000, "scored " + guarded.scored);
        assertTrue(guarded.rate() <= bound, "guarded false-alarm rate " + guarded.rate() + " above " + bound);

        Run forced = run(ClockCoverage.ALWAYS, STEP_MILLIS, HORIZON_MILLIS);
        assertEquals(new ContextSpec(2, true), forced.model.context());
        assertTrue(forced.rate() > 3 * bound, "forced-clock false-alarm rate " + forced.rate()
                + " should be far above the guarded " + guarded.rate());
    }

    @Test
    void threeDaysGetHourOfDayButNotDayOfWeek() {
        StreamProfile profile = profile();
        WarmupModelCatalog catalog = new WarmupModelCatalog(List.of(profile), 430, 50, 1e-3, ClockCoverage.DEFAULT);
        EventHistory history = new EventHistory(profile.context(), 1);
        Random random = new Random(7);
        long step = 10 * 60_000L; // 430 records every 10 minutes: about 3 days
        double deviation = 0;
        for (int i = 0; catalog.current("season").isEmpty() && i < 10_000; i++) {
            long t = START + i * step;
            deviation = 0.9 * deviation + random.nextGaussian();
            float[] x = {(float) (season(t, 0) + deviation)};
            float[] context = history.context(t);
            if (context != null) {
                catalog.learn("season", x, context);
            }
            history.append(t, x);
        }
        assertEquals(new ContextSpec(2, true, false, true), catalog.current("season").orElseThrow().context());
    }

    private record Run(StreamModel model, int scored, int alarms) {
        double rate() {
            return alarms / (double) scored;
        }
    }

    /** Warm-up on the stream's first records (20 minutes), then every record of the following {@code horizon}. */
    private static Run run(ClockCoverage clock, long step, long horizonMillis) {
        StreamProfile profile = profile();
        WarmupModelCatalog catalog = new WarmupModelCatalog(List.of(profile), FIT, HOLDOUT, 1e-3, clock);
        List<EventHistory> histories = new ArrayList<>();
        double[] deviations = new double[ENTITIES];
        for (int e = 0; e < ENTITIES; e++) {
            histories.add(new EventHistory(profile.context(), 1));
        }
        Random random = new Random(42);
        StreamModel model = null;
        long end = Long.MAX_VALUE;
        int scored = 0;
        int alarms = 0;
        for (long r = 0; ; r++) {
            int e = (int) (r % ENTITIES);
            long t = START + (r / ENTITIES) * step + e;
            if (t >= end) {
                break;
            }
            deviations[e] = 0.95 * deviations[e] + 0.3 * random.nextGaussian();
            float[] x = {(float) (season(t, e) + deviations[e])};
            float[] built = histories.get(e).context(t);
            histories.get(e).append(t, x);
            if (built == null) {
                continue;
            }
            if (model == null) {
                catalog.learn("season", x, built);
                model = catalog.current("season").orElse(null);
                if (model != null) {
                    end = t + horizonMillis;
                }
                continue;
            }
            // Serving builds the model's own context; taking its columns from the full one gives the same numbers.
            float[] context = profile.context().narrow(built, 1, 1, model.context());
            double raw = -model.density().logProb(x, context, 1)[0];
            scored++;
            alarms += model.calibration().tailProbability(raw) <= ALPHA ? 1 : 0;
        }
        return new Run(model, scored, alarms);
    }

    /** A daily season (period 24 h of event time) with an entity-specific phase. */
    private static double season(long t, int entity) {
        double hours = t / 3_600_000.0;
        return 20 + 3 * Math.sin(2 * Math.PI * hours / 24 + entity * 0.3);
    }

    private static StreamProfile profile() {
        return new StreamProfile("season", List.of("value"), new ContextSpec(2, true), ALPHA);
    }
}
