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
 *   <li>when {@code timeFeatures}: sin and cos of the hour of day, sin and cos of the day of week (both of the
 *       record's event time, UTC, Monday = 0), and log(1 + seconds since the previous record) (5 numbers).</li>
 * </ol>
 *
 * @param window       how many previous values the context holds (at least 1)
 * @param timeFeatures whether the cyclic time features and the gap are appended
 */
public record ContextSpec(int window, boolean timeFeatures) {

    /** Number of time features appended when {@code timeFeatures} is set. */
    public static final int TIME_FEATURES = 5;

    private static final double MILLIS_PER_HOUR = 3_600_000d;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    public ContextSpec {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
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
        if (timeFeatures) {
            names.addAll(List.of("hour_sin", "hour_cos", "dow_sin", "dow_cos", "log_gap_s"));
        }
        return names;
    }

    /** Context length for d features. */
    public int dimension(int d) {
        return window * d + (window - 1) * d + (timeFeatures ? TIME_FEATURES : 0);
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
        if (timeFeatures) {
            double hour = Math.floorMod(eventTime, MILLIS_PER_DAY) / MILLIS_PER_HOUR;
            // 1970-01-01 was a Thursday: day 0 + 3 is Monday-based.
            double dayOfWeek = Math.floorMod(Math.floorDiv(eventTime, MILLIS_PER_DAY) + 3, 7L) + hour / 24;
            double gapSeconds = Math.max(0, eventTime - lastEventTime) / 1000d;
            context[at++] = (float) Math.sin(2 * Math.PI * hour / 24);
            context[at++] = (float) Math.cos(2 * Math.PI * hour / 24);
            context[at++] = (float) Math.sin(2 * Math.PI * dayOfWeek / 7);
            context[at++] = (float) Math.cos(2 * Math.PI * dayOfWeek / 7);
            context[at] = (float) Math.log1p(gapSeconds);
        }
        return context;
    }
}
