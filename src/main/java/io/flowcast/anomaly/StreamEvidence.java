package io.flowcast.anomaly;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The alarm score of one event stream: the flow's conditional tail combined with context-free views of the same
 * record, then freed of repeats.
 * <ul>
 *   <li><b>conditional</b>: p(x_t | recent values, time), the flow's calibrated tail (given by the caller). It
 *       catches records that break the short-term dynamics, but forecasts: after a level shift only the first
 *       record is surprising, and a day that looks like any other two hours does not surprise it at all;</li>
 *   <li><b>marginal</b>: per feature, how extreme the value is among the stream's last {@code marginal} values
 *       ({@link MarginalTail}): values the stream has not shown lately;</li>
 *   <li><b>level</b> and <b>spread</b> (optional, one per scale k): how extreme the mean of the last k values, or
 *       their mean absolute change, is among the last {@code summaries} such summaries: a shift small next to the
 *       noise of single values, noise that grows or vanishes (a flat line);</li>
 *   <li><b>seasonal</b>: per feature, how extreme x_t - x_{t - P} is among the last {@code seasonal} such
 *       differences, with P one day in records (estimated from the median gap of the first records; no seasonal
 *       view when a day is under 2 or over {@code maxPeriod} records): a day that differs from the day before.</li>
 * </ul>
 * The combined tail is a weighted Bonferroni combination, min(W p_flow / w_flow, W p_view) over the views, with
 * each context-free view weighing 1, the flow {@code flowWeight} and W the sum of the weights: it keeps the
 * false-alarm bound of each view whatever their dependence (equal weights: the smallest tail times the number of
 * views). With {@code harmonic} it is their weighted harmonic mean, W / (w_flow / p_flow + sum 1 / p_view): about the
 * same value when one view alone is extreme, smaller when several views are unusual at once (a level shift that the
 * marginal, level and day-over-day views all see), never larger than the Bonferroni value. Times e ln W it is again
 * a valid p-value whatever the dependence (Vovk and Wang 2020, harmonic-mean merging), a constant factor for given
 * settings, so alarms rank the same. {@link AlarmEpisodes} then drops repeats inside an episode. Causal: each record
 * is scored against earlier records only, then joins them. Not thread-safe: one per stream.
 */
public final class StreamEvidence {

    /** Longest level or spread scale, in records. */
    public static final int MAX_SCALE = 4096;
    private static final double DAY_MILLIS = 86_400_000d;
    private static final int GAPS_FOR_PERIOD = 32;

    /**
     * @param marginal     recent values the marginal view keeps (0: no marginal view)
     * @param seasonal     recent day-over-day differences the seasonal view keeps (0: no seasonal view)
     * @param maxPeriod    longest day, in records, the seasonal view keeps history for
     * @param tailFraction share of each sample the exponential tail beyond its range is fitted to
     * @param alarms       how repeats are dropped
     * @param levels       for each k, a level view: the mean of the last k values (this record's included)
     * @param spreads      for each k, a spread view: the mean absolute change over the last k records
     * @param summaries    summaries each level and spread view keeps (0: as many as {@code marginal})
     * @param flowWeight   the conditional tail's weight in the combination, in (0, 1], each other view weighing 1
     * @param harmonic     combine by the weighted harmonic mean of the tails instead of their weighted minimum
     */
    public record Settings(int marginal, int seasonal, int maxPeriod, double tailFraction,
            AlarmEpisodes.Settings alarms, List<Integer> levels, List<Integer> spreads, int summaries,
            double flowWeight, boolean harmonic) {

        public Settings(int marginal, int seasonal, int maxPeriod, double tailFraction,
                AlarmEpisodes.Settings alarms, List<Integer> levels, List<Integer> spreads, int summaries,
                double flowWeight) {
            this(marginal, seasonal, maxPeriod, tailFraction, alarms, levels, spreads, summaries, flowWeight, false);
        }

        public Settings {
            Objects.requireNonNull(alarms, "alarms");
            levels = List.copyOf(levels);
            spreads = List.copyOf(spreads);
            if (marginal < 0 || seasonal < 0 || maxPeriod < 2 || !(tailFraction > 0 && tailFraction < 1)
                    || marginal == 1 || seasonal == 1 || summaries < 0 || summaries == 1
                    || !(flowWeight > 0 && flowWeight <= 1)
                    || levels.stream().anyMatch(k -> k < 2 || k > MAX_SCALE)
                    || spreads.stream().anyMatch(k -> k < 1 || k > MAX_SCALE)
                    || (marginal == 0 && summaries == 0 && !(levels.isEmpty() && spreads.isEmpty()))) {
                throw new IllegalArgumentException("bad stream evidence settings: " + this);
            }
        }

        /** The marginal and seasonal views only, the flow weighing as much as each of them. */
        public Settings(int marginal, int seasonal, int maxPeriod, double tailFraction,
                AlarmEpisodes.Settings alarms) {
            this(marginal, seasonal, maxPeriod, tailFraction, alarms, List.of(), List.of(), 0, 1.0);
        }

        /** The conditional tail alone, every record kept: the flow's own score. */
        public static Settings conditionalOnly() {
            return new Settings(0, 0, 2, 0.1, AlarmEpisodes.Settings.none());
        }

        /**
         * All three views; 500 recent values, 3000 day-over-day differences, days up to 2000 records; an episode
         * opens at tail 0.001 and lasts 50 records after its latest extreme (chosen on the NAB development corpus,
         * see docs/nab.md). Small state: what the live topology keeps per entity.
         */
        public static Settings defaults() {
            return new Settings(500, 3000, 2000, 0.1, new AlarmEpisodes.Settings(0.001, 50, 1.0));
        }

        /**
         * Long memory: the marginal view ranks a value among the last 10,000 values (not 500), a level view ranks the
         * mean of the last 24 values among the last 10,000 such means, and the flow weighs 0.1 against each
         * context-free view; seasonal view as in {@link #defaults()}. The views are combined by their weighted harmonic
         * mean, and inside an episode a record is reported again only when its tail is ten times below the episode's
         * lowest (chosen on the tuning half of the NAB development corpus, see docs/nab.md). Keeps about 90,000
         * doubles (0.7 MB) per feature: for a stream scored offline rather than for every entity of a topology.
         */
        public static Settings multiScale() {
            Settings base = defaults();
            AlarmEpisodes.Settings alarms = new AlarmEpisodes.Settings(base.alarms().openTail(),
                    base.alarms().refractory(), 0.1);
            return new Settings(10_000, base.seasonal(), base.maxPeriod(), base.tailFraction(), alarms,
                    List.of(24), List.of(), 10_000, 0.1, true);
        }

        /** The same settings with level and spread views at the given scales, each keeping {@code summaries}. */
        public Settings withScales(List<Integer> levels, List<Integer> spreads, int summaries) {
            return new Settings(marginal, seasonal, maxPeriod, tailFraction, alarms, levels, spreads, summaries,
                    flowWeight, harmonic);
        }

        /** The same settings with the conditional tail weighing {@code weight} against 1 for each other view. */
        public Settings withFlowWeight(double weight) {
            return new Settings(marginal, seasonal, maxPeriod, tailFraction, alarms, levels, spreads, summaries,
                    weight, harmonic);
        }

        private int longestScale() {
            int longest = 1;
            for (int k : levels) {
                longest = Math.max(longest, k);
            }
            for (int k : spreads) {
                longest = Math.max(longest, k + 1);
            }
            return longest;
        }
    }

    private final Settings settings;
    private final int d;
    private final MarginalTail[] marginal;
    private final MarginalTail[] seasonal;
    /** [scale][feature]. */
    private final MarginalTail[][] levelTails;
    private final MarginalTail[][] spreadTails;
    /** Per feature, the values the level and spread views summarise; null without such views. */
    private final RecentValues[] recent;
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
        this.marginal = settings.marginal() > 0 ? tails(1, settings.marginal())[0] : new MarginalTail[0];
        this.seasonal = settings.seasonal() > 0 ? tails(1, settings.seasonal())[0] : new MarginalTail[0];
        int summaries = settings.summaries() > 0 ? settings.summaries() : settings.marginal();
        this.levelTails = tails(settings.levels().size(), summaries);
        this.spreadTails = tails(settings.spreads().size(), summaries);
        if (levelTails.length + spreadTails.length > 0) {
            this.recent = new RecentValues[d];
            for (int j = 0; j < d; j++) {
                recent[j] = new RecentValues(settings.longestScale());
            }
        } else {
            this.recent = null;
        }
        this.episodes = new AlarmEpisodes(settings.alarms());
    }

    private MarginalTail[][] tails(int views, int capacity) {
        MarginalTail[][] tails = new MarginalTail[views][d];
        for (MarginalTail[] row : tails) {
            for (int j = 0; j < d; j++) {
                row[j] = new MarginalTail(capacity, settings.tailFraction());
            }
        }
        return tails;
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
        Combined combined = new Combined();
        for (int j = 0; j < marginal.length; j++) {
            scoreAndLearn(marginal[j], values[j], combined);
        }
        if (recent != null) {
            for (int j = 0; j < d; j++) {
                recent[j].add(values[j]);
            }
            for (int s = 0; s < levelTails.length; s++) {
                int k = settings.levels().get(s);
                for (int j = 0; j < d; j++) {
                    if (recent[j].has(k - 1)) {
                        scoreAndLearn(levelTails[s][j], recent[j].meanOfLast(k), combined);
                    } else {
                        combined.add(1.0);
                    }
                }
            }
            for (int s = 0; s < spreadTails.length; s++) {
                int k = settings.spreads().get(s);
                for (int j = 0; j < d; j++) {
                    if (recent[j].has(k)) {
                        scoreAndLearn(spreadTails[s][j], recent[j].meanAbsoluteChange(k), combined);
                    } else {
                        combined.add(1.0);
                    }
                }
            }
        }
        if (period > 0) {
            for (int j = 0; j < seasonal.length; j++) {
                if (seen >= period) {
                    int row = (int) (seen % period);
                    scoreAndLearn(seasonal[j], values[j] - past[row * d + j], combined);
                } else {
                    combined.add(1.0);
                }
            }
        }
        remember(eventTime, values);
        if (!graded) {
            return 1.0;
        }
        double flowTail = Double.isNaN(conditionalTail) ? 1.0 : conditionalTail;
        return episodes.filter(Math.min(1.0, combined.tail(flowTail)));
    }

    /** The views' tails of one record, combined with the flow's. */
    private final class Combined {
        private double lowest = 1.0;
        private double inverseSum;
        private int views;

        void add(double tail) {
            lowest = Math.min(lowest, tail);
            inverseSum += 1.0 / tail;
            views++;
        }

        double tail(double flowTail) {
            double w = settings.flowWeight();
            double weights = w + views;
            if (settings.harmonic()) {
                return weights / (inverseSum + w / flowTail);
            }
            return weights * Math.min(lowest, flowTail / w);
        }
    }

    /** One day in records once estimated; 0 when the stream has no usable day; -1 while still estimating. */
    public int period() {
        return period;
    }

    private void scoreAndLearn(MarginalTail view, double summary, Combined combined) {
        double tail = view.tail(summary);
        view.add(summary);
        combined.add(tail);
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
