package io.flowcast.flow;

import java.util.ArrayList;
import java.util.List;

/**
 * How the context vector c of p(x_t | c) is built from an entity's history. The model carries its spec, so the
 * scoring side builds exactly the context the model was fitted on.
 *
 * <p>For d features and window w the context is, in this order:
 * <ol>
 *   <li>the last w values, newest first: x_{t-1}, ..., x_{t-w} (w * d numbers);</li>
 *   <li>their deltas, newest first: x_{t-1} - x_{t-2}, ..., x_{t-w+1} - x_{t-w} ((w - 1) * d numbers);</li>
 *   <li>when {@code hourOfDay}: sin and cos of the hour of day of the record's event time (UTC);</li>
 *   <li>when {@code dayOfWeek}: sin and cos of the day of week (Monday = 0, continuous: the hour is its fraction);</li>
 *   <li>when {@code gap}: log(1 + seconds since the previous record).</li>
 * </ol>
 * The clock columns are separate switches because a model fitted on less than a day (a week) of data has seen them
 * barely move: it standardises them by a tiny spread and extrapolates wildly once the clock moves on (see
 * {@link ClockCoverage}, which the fitters use to choose them).
 *
 * @param window    how many previous values the context holds (at least 1)
 * @param hourOfDay whether sin/cos of the hour of day are appended
 * @param dayOfWeek whether sin/cos of the day of week are appended
 * @param gap       whether log(1 + seconds since the previous record) is appended
 */
public record ContextSpec(int window, boolean hourOfDay, boolean dayOfWeek, boolean gap) {

    /** Number of time features appended when all of them are on. */
    public static final int TIME_FEATURES = 5;

    private static final double MILLIS_PER_HOUR = 3_600_000d;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    public ContextSpec {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
    }

    /** All time features (hour of day, day of week, gap) when {@code timeFeatures}, none otherwise. */
    public ContextSpec(int window, boolean timeFeatures) {
        this(window, timeFeatures, timeFeatures, timeFeatures);
    }

    /** Whether any time feature is appended. */
    public boolean timeFeatures() {
        return hourOfDay || dayOfWeek || gap;
    }

    /** Name of the hour-of-day columns in {@link #timeFeatureNames}. */
    public static final String HOUR_OF_DAY = "hour-of-day";
    /** Name of the day-of-week columns in {@link #timeFeatureNames}. */
    public static final String DAY_OF_WEEK = "day-of-week";
    /** Name of the gap column in {@link #timeFeatureNames}. */
    public static final String GAP = "gap";

    /** The time features this spec appends, by name ({@code hour-of-day}, {@code day-of-week}, {@code gap}). */
    public List<String> timeFeatureNames() {
        List<String> names = new ArrayList<>(3);
        if (hourOfDay) {
            names.add(HOUR_OF_DAY);
        }
        if (dayOfWeek) {
            names.add(DAY_OF_WEEK);
        }
        if (gap) {
            names.add(GAP);
        }
        return List.copyOf(names);
    }

    /** The spec with these time features (names as {@link #timeFeatureNames} writes them; others are refused). */
    public static ContextSpec of(int window, java.util.Collection<String> timeFeatureNames) {
        for (String name : timeFeatureNames) {
            if (!List.of(HOUR_OF_DAY, DAY_OF_WEEK, GAP).contains(name)) {
                throw new IllegalArgumentException("unknown time feature '" + name + "' (" + HOUR_OF_DAY + ", "
                        + DAY_OF_WEEK + ", " + GAP + ")");
            }
        }
        return new ContextSpec(window, timeFeatureNames.contains(HOUR_OF_DAY),
                timeFeatureNames.contains(DAY_OF_WEEK), timeFeatureNames.contains(GAP));
    }

    /** Number of time features appended. */
    public int timeFeatureCount() {
        return (hourOfDay ? 2 : 0) + (dayOfWeek ? 2 : 0) + (gap ? 1 : 0);
    }

    /** This spec with the given clock columns (the window and the gap stay). */
    public ContextSpec withClock(boolean withHourOfDay, boolean withDayOfWeek) {
        return new ContextSpec(window, withHourOfDay, withDayOfWeek, gap);
    }

    /** Whether every entry of {@code other}'s context is also in this one (same window, a subset of time features). */
    public boolean covers(ContextSpec other) {
        return other.window == window && (hourOfDay || !other.hourOfDay) && (dayOfWeek || !other.dayOfWeek)
                && (gap || !other.gap);
    }

    /**
     * Contexts of {@code narrower} taken from contexts built by this spec (it must {@link #covers} it): the same
     * records, without the time columns {@code narrower} leaves out.
     *
     * @param contexts rows of {@code dimension(d)} numbers, row-major
     */
    public float[] narrow(float[] contexts, int rows, int d, ContextSpec narrower) {
        if (!covers(narrower)) {
            throw new IllegalArgumentException(this + " does not hold every entry of " + narrower);
        }
        int k = dimension(d);
        if (contexts.length < (long) rows * k) {
            throw new IllegalArgumentException(rows + " contexts of " + k + " need " + rows * k + " numbers, got "
                    + contexts.length);
        }
        if (narrower.equals(this)) {
            return java.util.Arrays.copyOf(contexts, rows * k);
        }
        int[] columns = columnsOf(narrower, d);
        float[] narrowed = new float[rows * columns.length];
        for (int row = 0; row < rows; row++) {
            for (int j = 0; j < columns.length; j++) {
                narrowed[row * columns.length + j] = contexts[row * k + columns[j]];
            }
        }
        return narrowed;
    }

    /** Where {@code narrower}'s entries sit in this spec's context. */
    private int[] columnsOf(ContextSpec narrower, int d) {
        int values = (2 * window - 1) * d;
        int[] columns = new int[narrower.dimension(d)];
        int at = 0;
        for (int i = 0; i < values; i++) {
            columns[at++] = i;
        }
        int source = values;
        if (hourOfDay) {
            if (narrower.hourOfDay) {
                columns[at++] = source;
                columns[at++] = source + 1;
            }
            source += 2;
        }
        if (dayOfWeek) {
            if (narrower.dayOfWeek) {
                columns[at++] = source;
                columns[at++] = source + 1;
            }
            source += 2;
        }
        if (gap && narrower.gap) {
            columns[at] = source;
        }
        return columns;
    }

    /** Index of the day-of-week sine in a context of d features, or -1 when this spec has no day-of-week columns. */
    public int dayOfWeekColumn(int d) {
        return dayOfWeek ? (2 * window - 1) * d + (hourOfDay ? 2 : 0) : -1;
    }

    /** Index of the hour-of-day sine in a context of d features, or -1 when this spec has no hour-of-day columns. */
    public int hourOfDayColumn(int d) {
        return hourOfDay ? (2 * window - 1) * d : -1;
    }

    /** The event-stream context of the issue: the last {@code window} values and deltas, plus the time features. */
    public static ContextSpec eventStream(int window) {
        return new ContextSpec(window, true);
    }

    /**
     * Names of the context entries in {@link #build} order, for a flow's {@code contextNames} (attribution reads them):
     * {@code f[t-1]}, ..., {@code d_f[t-1]}, ..., {@code hour_sin}, {@code hour_cos}, {@code dow_sin},
     * {@code dow_cos}, {@code log_gap_s}.
     */
    public List<String> names(List<String> features) {
        List<String> names = new ArrayList<>(dimension(features.size()));
        for (int lag = 1; lag <= window; lag++) {
            for (String feature : features) {
                names.add(feature + "[t-" + lag + "]");
            }
        }
        for (int lag = 1; lag < window; lag++) {
            for (String feature : features) {
                names.add("d_" + feature + "[t-" + lag + "]");
            }
        }
        if (hourOfDay) {
            names.addAll(List.of("hour_sin", "hour_cos"));
        }
        if (dayOfWeek) {
            names.addAll(List.of("dow_sin", "dow_cos"));
        }
        if (gap) {
            names.add("log_gap_s");
        }
        return names;
    }

    /** Context length for d features. */
    public int dimension(int d) {
        return window * d + (window - 1) * d + timeFeatureCount();
    }

    /**
     * Builds the context from the newest {@code window} rows of {@code history}.
     *
     * @param history       rows of d values, oldest first, {@code rows * d} numbers
     * @param rows          how many rows {@code history} holds; at least {@code window}
     * @param lastEventTime event time of the newest row, epoch ms
     * @param eventTime     event time of the record being scored, epoch ms
     */
    public float[] build(float[] history, int rows, int d, long lastEventTime, long eventTime) {
        if (rows < window || history.length < rows * d) {
            throw new IllegalArgumentException("history of " + rows + " rows is shorter than the window " + window);
        }
        float[] context = new float[dimension(d)];
        int at = 0;
        for (int lag = 1; lag <= window; lag++) {
            int row = rows - lag;
            for (int j = 0; j < d; j++) {
                context[at++] = history[row * d + j];
            }
        }
        for (int lag = 1; lag < window; lag++) {
            int newer = rows - lag;
            int older = newer - 1;
            for (int j = 0; j < d; j++) {
                context[at++] = history[newer * d + j] - history[older * d + j];
            }
        }
        double hour = Math.floorMod(eventTime, MILLIS_PER_DAY) / MILLIS_PER_HOUR;
        if (hourOfDay) {
            context[at++] = (float) Math.sin(2 * Math.PI * hour / 24);
            context[at++] = (float) Math.cos(2 * Math.PI * hour / 24);
        }
        if (dayOfWeek) {
            double day = weekDay(eventTime);
            context[at++] = (float) Math.sin(2 * Math.PI * day / 7);
            context[at++] = (float) Math.cos(2 * Math.PI * day / 7);
        }
        if (gap) {
            double gapSeconds = Math.max(0, eventTime - lastEventTime) / 1000d;
            context[at] = (float) Math.log1p(gapSeconds);
        }
        return context;
    }

    /** The day of week of an event time (UTC, Monday = 0) with the time of day as its fraction: in [0, 7). */
    public static double weekDay(long eventTime) {
        double hour = Math.floorMod(eventTime, MILLIS_PER_DAY) / MILLIS_PER_HOUR;
        // 1970-01-01 was a Thursday: day 0 + 3 is Monday-based.
        return Math.floorMod(Math.floorDiv(eventTime, MILLIS_PER_DAY) + 3, 7L) + hour / 24;
    }
}
