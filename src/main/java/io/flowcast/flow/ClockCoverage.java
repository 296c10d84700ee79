package io.flowcast.flow;

import java.util.Arrays;

/**
 * Chooses which clock columns a model's context gets from the data it is fitted on. A fit on a few minutes of a
 * stream sees hour-of-day barely move: the model standardises the column by that tiny spread and extrapolates wildly
 * as the clock moves on (false alarms of 37-100% at alpha = 0.005 within minutes). So hour-of-day is kept only when
 * the training records cover at least {@code hourOfDayMinDays} days, day-of-week only when they cover at least
 * {@code dayOfWeekMinDays}. The gap since the previous record stays as configured: it means the same at any hour.
 *
 * <p>Coverage is read from the contexts themselves (no event times needed): the day-of-week angle places each record
 * on a week-long circle, and the records cover the circle but its largest empty arc (plus one sampling step, the
 * time each record stands for). A stream seen only on weekdays 9-17 for months covers about 4.3 days: hour-of-day
 * yes, day-of-week no, and serving sees the same hours, so nothing is extrapolated.
 *
 * @param hourOfDayMinDays days of coverage the hour-of-day columns need (1 = a full day)
 * @param dayOfWeekMinDays days of coverage the day-of-week columns need (7 = a full week)
 */
public record ClockCoverage(double hourOfDayMinDays, double dayOfWeekMinDays) {

    /** A full day for hour-of-day, a full week for day-of-week. */
    public static final ClockCoverage DEFAULT = new ClockCoverage(1, 7);

    /** Keeps every clock column the configured spec has (the behaviour before this guard). */
    public static final ClockCoverage ALWAYS = new ClockCoverage(0, 0);

    private static final double DAYS_PER_WEEK = 7;

    /**
     * Coverage this close below a threshold still meets it (about 9 s): the angles are read back from float columns,
     * so a week sampled evenly comes out a few milliseconds short of 7 days.
     */
    private static final double TOLERANCE_DAYS = 1e-4;

    public ClockCoverage {
        if (!(hourOfDayMinDays >= 0 && hourOfDayMinDays <= DAYS_PER_WEEK)
                || !(dayOfWeekMinDays >= 0 && dayOfWeekMinDays <= DAYS_PER_WEEK)) {
            throw new IllegalArgumentException("coverage thresholds are days in [0, 7], got " + hourOfDayMinDays
                    + " and " + dayOfWeekMinDays);
        }
    }

    /**
     * The spec a model fitted on these contexts should read: {@code configured} without the clock columns the data
     * does not cover.
     *
     * @param configured the spec the contexts were built with
     * @param contexts   {@code rows} contexts of {@code configured.dimension(d)} numbers, row-major
     */
    public ContextSpec choose(ContextSpec configured, float[] contexts, int rows, int d) {
        if (!configured.hourOfDay() && !configured.dayOfWeek()) {
            return configured;
        }
        double days = coveredDays(configured, contexts, rows, d);
        return configured.withClock(configured.hourOfDay() && days + TOLERANCE_DAYS >= hourOfDayMinDays,
                configured.dayOfWeek() && days + TOLERANCE_DAYS >= dayOfWeekMinDays);
    }

    /**
     * Days of the week the contexts' event times cover (at most 7; at most 1 when the spec has hour-of-day but no
     * day-of-week columns, as the hour alone cannot tell days apart).
     */
    public static double coveredDays(ContextSpec spec, float[] contexts, int rows, int d) {
        int k = spec.dimension(d);
        int column;
        double period;
        if (spec.dayOfWeek()) {
            column = spec.dayOfWeekColumn(d);
            period = DAYS_PER_WEEK;
        } else if (spec.hourOfDay()) {
            column = spec.hourOfDayColumn(d);
            period = 1;
        } else {
            return 0;
        }
        double[] phases = new double[rows];
        int n = 0;
        for (int row = 0; row < rows && (long) row * k + column + 1 < contexts.length; row++) {
            double sin = contexts[row * k + column];
            double cos = contexts[row * k + column + 1];
            if (Double.isFinite(sin) && Double.isFinite(cos)) {
                double turn = Math.atan2(sin, cos) / (2 * Math.PI);
                phases[n++] = (turn < 0 ? turn + 1 : turn) * period;
            }
        }
        return covered(Arrays.copyOf(phases, n), period);
    }

    /** The circle's length less its largest empty arc, plus one typical step between records; at most the period. */
    static double covered(double[] phases, double period) {
        if (phases.length < 2) {
            return 0;
        }
        double[] sorted = phases.clone();
        Arrays.sort(sorted);
        double[] gaps = new double[sorted.length];
        int largest = 0;
        for (int i = 0; i < sorted.length; i++) {
            double next = i + 1 < sorted.length ? sorted[i + 1] : sorted[0] + period;
            gaps[i] = next - sorted[i];
            if (gaps[i] > gaps[largest]) {
                largest = i;
            }
        }
        double empty = gaps[largest];
        gaps[largest] = 0; // the empty arc is not a step between records
        double step = typicalStep(gaps);
        return Math.min(period, period - empty + step);
    }

    /** The median of the positive gaps (many entities share event times, so zero gaps say nothing of the step). */
    private static double typicalStep(double[] gaps) {
        double[] positive = Arrays.stream(gaps).filter(g -> g > 0).sorted().toArray();
        return positive.length == 0 ? 0 : positive[positive.length / 2];
    }
}
