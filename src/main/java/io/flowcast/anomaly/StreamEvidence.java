package io.flowcast.anomaly;

import java.util.Arrays;
import java.util.Objects;

/**
 * The alarm score of one event stream: the flow's conditional tail combined with two context-free views of the same
 * record, then freed of repeats.
 * <ul>
 *   <li><b>conditional</b>: p(x_t | recent values, time), the flow's calibrated tail (given by the caller). It
 *       catches records that break the short-term dynamics, but forecasts: after a level shift only the first
 *       record is surprising, and a day that looks like any other two hours does not surprise it at all;</li>
 *   <li><b>marginal</b>: per feature, how extreme the value is among the stream's last {@code marginal} values
 *       ({@link MarginalTail}): values the stream has not shown lately;</li>
 *   <li><b>seasonal</b>: per feature, how extreme x_t - x_{t - P} is among the last {@code seasonal} such
 *       differences, with P one day in records (estimated from the median gap of the first records; no seasonal
 *       view when a day is under 2 or over {@code maxPeriod} records): a day that differs from the day before;</li>
 * </ul>
 * The combined tail is the smallest of the 1 + 2d tails times their number (Bonferroni), which keeps the
 * false-alarm bound of each; {@link AlarmEpisodes} then drops repeats inside an episode. Causal: each record is
 * scored against earlier records only, then joins them. Not thread-safe: one per stream.
 */
public final class StreamEvidence {

    private static final double DAY_MILLIS = 86_400_000d;
    private static final int GAPS_FOR_PERIOD = 32;

    /**
     * @param marginal     recent values the marginal view keeps (0: no marginal view)
     * @param seasonal     recent day-over-day differences the seasonal view keeps (0: no seasonal view)
     * @param maxPeriod    longest day, in records, the seasonal view keeps history for
     * @param tailFraction share of each sample the exponential tail beyond its range is fitted to
     * @param alarms       how repeats are dropped
     */
    public record Settings(int marginal, int seasonal, int maxPeriod, double tailFraction,
            AlarmEpisodes.Settings alarms) {

        public Settings {
            Objects.requireNonNull(alarms, "alarms");
            if (marginal < 0 || seasonal < 0 || maxPeriod < 2 || !(tailFraction > 0 && tailFraction < 1)
                    || marginal == 1 || seasonal == 1) {
                throw new IllegalArgumentException("bad stream evidence settings: " + this);
            }
        }

        /** The conditional tail alone, every record kept: the flow's own score. */
        public static Settings conditionalOnly() {
            return new Settings(0, 0, 2, 0.1, AlarmEpisodes.Settings.none());
        }

        /**
         * All three views; 500 recent values, 3000 day-over-day differences, days up to 2000 records; an episode
         * opens at tail 0.001 and lasts 50 records after its latest extreme (chosen on the NAB development corpus,
         * see docs/nab.md).
         */
        public static Settings defaults() {
            return new Settings(500, 3000, 2000, 0.1, new AlarmEpisodes.Settings(0.001, 50, 1.0));
        }
    }

    private final Settings settings;
    private final int d;
    private final MarginalTail[] marginal;
    private final MarginalTail[] seasonal;
    private final AlarmEpisodes episodes;
    private final long[] gaps = new long[GAPS_FOR_PERIOD];
    private int gapCount;
    private long lastTime = Long.MIN_VALUE;
    private int period = -1;
    private float[] past;
    private long seen;

    public StreamEvidence(Settings settings, int d) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (d < 1) {
            throw new IllegalArgumentException("d must be at least 1: " + d);
        }
        this.d = d;
        this.marginal = new MarginalTail[settings.marginal() > 0 ? d : 0];
        this.seasonal = new MarginalTail[settings.seasonal() > 0 ? d : 0];
        for (int j = 0; j < marginal.length; j++) {
            marginal[j] = new MarginalTail(settings.marginal(), settings.tailFraction());
        }
        for (int j = 0; j < seasonal.length; j++) {
            seasonal[j] = new MarginalTail(settings.seasonal(), settings.tailFraction());
        }
        this.episodes = new AlarmEpisodes(settings.alarms());
    }

    /**
     * Scores a record, then learns from it.
     *
     * @param conditionalTail the flow's calibrated tail of the record
     * @param graded          false while the stream warms up: the record only teaches (the result is 1)
     * @return the alarm tail in (0, 1]; 1 for a repeat inside an episode, for a warming-up or a non-finite record
     */
    public double score(long eventTime, float[] values, double conditionalTail, boolean graded) {
        if (values == null || values.length != d) {
            throw new IllegalArgumentException("expected " + d + " values");
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return 1.0;
            }
        }
        double lowest = Double.isNaN(conditionalTail) ? 1.0 : conditionalTail;
        int sources = 1 + marginal.length + (period > 0 ? seasonal.length : 0);
        for (int j = 0; j < marginal.length; j++) {
            lowest = Math.min(lowest, marginal[j].tail(values[j]));
            marginal[j].add(values[j]);
        }
        if (period > 0 && seen >= period) {
            int row = (int) (seen % period);
            for (int j = 0; j < seasonal.length; j++) {
                double difference = values[j] - past[row * d + j];
                lowest = Math.min(lowest, seasonal[j].tail(difference));
                seasonal[j].add(difference);
            }
        }
        remember(eventTime, values);
        if (!graded) {
            return 1.0;
        }
        return episodes.filter(Math.min(1.0, sources * lowest));
    }

    /** One day in records once estimated; 0 when the stream has no usable day; -1 while still estimating. */
    public int period() {
        return period;
    }

    private void remember(long eventTime, float[] values) {
        if (period < 0) {
            if (lastTime != Long.MIN_VALUE && eventTime > lastTime) {
                gaps[gapCount++] = eventTime - lastTime;
            }
            lastTime = eventTime;
            if (gapCount == GAPS_FOR_PERIOD) {
                long[] sorted = gaps.clone();
                Arrays.sort(sorted);
                long p = Math.round(DAY_MILLIS / sorted[GAPS_FOR_PERIOD / 2]);
                period = seasonal.length > 0 && p >= 2 && p <= settings.maxPeriod() ? (int) p : 0;
                if (period > 0) {
                    past = new float[period * d];
                    seen = 0;
                }
            }
        }
        if (period > 0) {
            int row = (int) (seen % period);
            System.arraycopy(values, 0, past, row * d, d);
            seen++;
        }
    }
}
