package io.flowcast.anomaly;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * The alarm evidence of one entity in a live topology: the flow's calibrated conditional tail combined, as in
 * {@link StreamEvidence}, with context-free views of the same record, Bonferroni-corrected (the smallest of the
 * 1 + d (+ d) tails times their number), so the false-alarm bound of each view is kept.
 * <ul>
 *   <li><b>marginal</b>: per feature, the {@link MarginalTail} of the value among the entity's last {@code recent}
 *       values: a level shift that the flow forecasts after its first record stays unusual here;</li>
 *   <li><b>seasonal</b>: per feature, the {@link MarginalTail} of the value's difference from the same slot of the
 *       previous season (the mean of the entity's values in that slot, {@code seasonSlots} slots per
 *       {@code season}), among its last {@code residuals} such differences: a time of day that differs from the
 *       day before.</li>
 * </ul>
 * Unlike {@link StreamEvidence}, which keeps one stream's sample in memory, the state here is per entity and is
 * written to a changelogged store at every commit, so it is a compact sketch: rings of {@code recent} values and
 * {@code residuals} differences and a per-slot profile instead of a whole season of values. A view joins only
 * once it holds {@code minValues} values (a rank among a handful says little); until then the record's evidence
 * is its flow tail. Repeats inside an episode are left to the topology's alert hysteresis. Pure and immutable:
 * {@link #update} returns a new state.
 */
public final class EntityEvidence {

    /**
     * @param recent       values per feature the marginal view ranks against (0: no marginal view)
     * @param residuals    season-over-season differences per feature the seasonal view ranks against (0: none)
     * @param season       the season's length (a day for daily cycles)
     * @param seasonSlots  slots per season of the seasonal profile (0: no seasonal view)
     * @param minValues    values a view needs before it counts
     * @param tailFraction share of each sample the exponential tail beyond its range is fitted to
     */
    public record Settings(int recent, int residuals, Duration season, int seasonSlots, int minValues,
            double tailFraction) {

        public Settings {
            Objects.requireNonNull(season, "season");
            if (recent < 0 || residuals < 0 || seasonSlots < 0 || minValues < 2 || !(tailFraction > 0
                    && tailFraction < 1) || season.toMillis() < 1 || (seasonSlots > 0 && season.toMillis()
                    < seasonSlots)) {
                throw new IllegalArgumentException("bad entity evidence settings: " + this);
            }
        }

        /** 64 recent values, 64 differences from a 24-slot daily profile, views from 32 values. */
        public static Settings defaults() {
            return new Settings(64, 64, Duration.ofDays(1), 24, 32, 0.1);
        }

        boolean seasonal() {
            return seasonSlots > 0 && residuals > 0;
        }
    }

    /** A record's evidence and the entity's state after it. */
    public record Step(double tail, State next) {
    }

    /**
     * One entity's evidence state: the rings oldest first ({@code recent} holds {@code recentSize} rows of d, and
     * so on) and the seasonal profile per slot: the season it was last updated in, the mean of its previous season
     * (NaN: none yet) and the running sum and count of the current one.
     */
    public record State(int d, int recentSize, float[] recent, int residualSize, float[] residuals,
            int[] slotSeason, float[] previous, float[] sum, int[] count) {

        private static final byte FORMAT = 1;
        /** Far above any configured ring: a larger size in stored bytes is corruption, not state. */
        private static final int MAX_VALUES = 1 << 20;

        public State {
            if (d < 1 || recentSize < 0 || residualSize < 0 || recent.length != recentSize * d
                    || residuals.length != residualSize * d || previous.length != slotSeason.length * d
                    || sum.length != previous.length || count.length != slotSeason.length) {
                throw new IllegalArgumentException("inconsistent entity evidence state");
            }
        }

        static State empty(int d, int slots) {
            int[] seasons = new int[slots];
            Arrays.fill(seasons, Integer.MIN_VALUE);
            float[] previous = new float[slots * d];
            Arrays.fill(previous, Float.NaN);
            return new State(d, 0, new float[0], 0, new float[0], seasons, previous, new float[slots * d],
                    new int[slots]);
        }

        /** Bytes of {@link #toBytes}: what the entity costs in the store and its changelog. */
        public int byteSize() {
            return 1 + 4 * 4 + 4 * (recent.length + residuals.length) + slotSeason.length * (4 + 4 + 8 * d);
        }

        public byte[] toBytes() {
            ByteBuffer buffer = ByteBuffer.allocate(byteSize());
            buffer.put(FORMAT).putInt(d).putInt(recentSize).putInt(residualSize).putInt(slotSeason.length);
            for (float v : recent) {
                buffer.putFloat(v);
            }
            for (float v : residuals) {
                buffer.putFloat(v);
            }
            for (int s = 0; s < slotSeason.length; s++) {
                buffer.putInt(slotSeason[s]).putInt(count[s]);
                for (int j = 0; j < d; j++) {
                    buffer.putFloat(previous[s * d + j]).putFloat(sum[s * d + j]);
                }
            }
            return buffer.array();
        }

        /** Reads {@link #toBytes}; malformed bytes are an IllegalArgumentException. */
        public static State fromBytes(byte[] bytes) {
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                if (buffer.get() != FORMAT) {
                    throw new IllegalArgumentException("unknown entity evidence format " + bytes[0]);
                }
                int d = buffer.getInt();
                int recentSize = buffer.getInt();
                int residualSize = buffer.getInt();
                int slots = buffer.getInt();
                if (d < 1 || recentSize < 0 || residualSize < 0 || slots < 0 || (long) d * recentSize > MAX_VALUES
                        || (long) d * residualSize > MAX_VALUES || (long) d * slots > MAX_VALUES) {
                    throw new IllegalArgumentException("entity evidence of " + d + " features, rings " + recentSize
                            + " and " + residualSize + ", " + slots + " slots");
                }
                float[] recent = floats(buffer, recentSize * d);
                float[] residuals = floats(buffer, residualSize * d);
                int[] slotSeason = new int[slots];
                int[] count = new int[slots];
                float[] previous = new float[slots * d];
                float[] sum = new float[slots * d];
                for (int s = 0; s < slots; s++) {
                    slotSeason[s] = buffer.getInt();
                    count[s] = buffer.getInt();
                    for (int j = 0; j < d; j++) {
                        previous[s * d + j] = buffer.getFloat();
                        sum[s * d + j] = buffer.getFloat();
                    }
                }
                if (buffer.hasRemaining()) {
                    throw new IllegalArgumentException(buffer.remaining() + " trailing bytes");
                }
                return new State(d, recentSize, recent, residualSize, residuals, slotSeason, previous, sum, count);
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("truncated entity evidence of " + bytes.length + " bytes", e);
            }
        }

        private static float[] floats(ByteBuffer buffer, int n) {
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = buffer.getFloat();
            }
            return values;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof State s && d == s.d && recentSize == s.recentSize
                    && residualSize == s.residualSize && Arrays.equals(recent, s.recent)
                    && Arrays.equals(residuals, s.residuals) && Arrays.equals(slotSeason, s.slotSeason)
                    && Arrays.equals(previous, s.previous) && Arrays.equals(sum, s.sum)
                    && Arrays.equals(count, s.count);
        }

        @Override
        public int hashCode() {
            return Objects.hash(d, recentSize, residualSize, Arrays.hashCode(recent), Arrays.hashCode(residuals),
                    Arrays.hashCode(previous));
        }

        @Override
        public String toString() {
            return "EntityEvidence.State[d=" + d + ", recent=" + recentSize + ", residuals=" + residualSize
                    + ", slots=" + slotSeason.length + "]";
        }
    }

    private final Settings settings;
    private final long seasonMillis;

    public EntityEvidence(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.seasonMillis = settings.season().toMillis();
    }

    public Settings settings() {
        return settings;
    }

    /** The state of an entity of {@code d} features that has taught its views nothing yet. */
    public State empty(int d) {
        return State.empty(d, settings.seasonal() ? settings.seasonSlots() : 0);
    }

    /**
     * Scores a record against the entity's past, then learns it.
     *
     * @param state           the entity's state, or null for an entity without evidence yet
     * @param conditionalTail the flow's calibrated tail of the record; NaN when it was not scored (warming up): the
     *                        record only teaches and its evidence is NaN
     * @return the record's combined tail in (0, 1] (NaN when not scored) and the entity's next state
     */
    public Step update(State state, long eventTime, float[] values, double conditionalTail) {
        int d = values.length;
        State s = usable(state, d);
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return new Step(Double.isNaN(conditionalTail) ? Double.NaN : conditionalTail, s);
            }
        }
        double lowest = Double.isNaN(conditionalTail) ? 1.0 : conditionalTail;
        int sources = 1;
        if (s.recentSize() >= settings.minValues()) {
            for (int j = 0; j < d; j++) {
                lowest = Math.min(lowest, rank(s.recent(), s.recentSize(), d, j, values[j]));
            }
            sources += d;
        }
        int[] slotSeason = s.slotSeason();
        float[] previous = s.previous();
        float[] sum = s.sum();
        int[] count = s.count();
        float[] residuals = s.residuals();
        int residualSize = s.residualSize();
        if (settings.seasonal()) {
            slotSeason = slotSeason.clone();
            previous = previous.clone();
            sum = sum.clone();
            count = count.clone();
            int slot = (int) (Math.floorMod(eventTime, seasonMillis) * settings.seasonSlots() / seasonMillis);
            int season = (int) Math.floorDiv(eventTime, seasonMillis);
            if (slotSeason[slot] != season) {
                // The slot's first record of this season: what it saw last season becomes its reference.
                if (count[slot] > 0) {
                    for (int j = 0; j < d; j++) {
                        previous[slot * d + j] = sum[slot * d + j] / count[slot];
                        sum[slot * d + j] = 0;
                    }
                }
                count[slot] = 0;
                slotSeason[slot] = season;
            }
            if (!Float.isNaN(previous[slot * d])) {
                float[] difference = new float[d];
                for (int j = 0; j < d; j++) {
                    difference[j] = values[j] - previous[slot * d + j];
                }
                if (residualSize >= settings.minValues()) {
                    for (int j = 0; j < d; j++) {
                        lowest = Math.min(lowest, rank(residuals, residualSize, d, j, difference[j]));
                    }
                    sources += d;
                }
                residuals = push(residuals, residualSize, d, difference, settings.residuals());
                residualSize = residuals.length / d;
            }
            for (int j = 0; j < d; j++) {
                sum[slot * d + j] += values[j];
            }
            count[slot]++;
        }
        float[] recent = settings.recent() > 0 ? push(s.recent(), s.recentSize(), d, values, settings.recent())
                : s.recent();
        State next = new State(d, recent.length / d, recent, residualSize, residuals, slotSeason, previous, sum,
                count);
        double tail = Double.isNaN(conditionalTail) ? Double.NaN : Math.min(1.0, sources * lowest);
        return new Step(tail, next);
    }

    /** The state to start from: the stored one when it fits these settings, kept as far as it can be, else new. */
    private State usable(State state, int d) {
        int slots = settings.seasonal() ? settings.seasonSlots() : 0;
        if (state == null || state.d() != d) {
            return State.empty(d, slots);
        }
        boolean sameSlots = state.slotSeason().length == slots;
        int recentSize = Math.min(state.recentSize(), settings.recent());
        int residualSize = sameSlots ? Math.min(state.residualSize(), settings.residuals()) : 0;
        if (sameSlots && recentSize == state.recentSize() && residualSize == state.residualSize()) {
            return state;
        }
        // Settings changed since the state was stored: keep the newest values that still fit.
        State fresh = State.empty(d, slots);
        return new State(d, recentSize, newest(state.recent(), state.recentSize(), recentSize, d), residualSize,
                newest(state.residuals(), state.residualSize(), residualSize, d),
                sameSlots ? state.slotSeason() : fresh.slotSeason(), sameSlots ? state.previous() : fresh.previous(),
                sameSlots ? state.sum() : fresh.sum(), sameSlots ? state.count() : fresh.count());
    }

    /**
     * The two-sided tail of {@code value} among column {@code j} of the ring: {@link MarginalTail#tailAmong}, the
     * value a {@link MarginalTail} fed the column would give, without building and sorting one per record.
     */
    private double rank(float[] ring, int rows, int d, int j, double value) {
        return MarginalTail.tailAmong(ring, j, rows, d, value, settings.tailFraction());
    }

    /** The ring (oldest first) with {@code row} appended, keeping the newest {@code capacity} rows. */
    private static float[] push(float[] ring, int rows, int d, float[] row, int capacity) {
        int kept = Math.min(rows, capacity - 1);
        float[] next = new float[(kept + 1) * d];
        System.arraycopy(ring, (rows - kept) * d, next, 0, kept * d);
        System.arraycopy(row, 0, next, kept * d, d);
        return next;
    }

    private static float[] newest(float[] ring, int rows, int keep, int d) {
        return Arrays.copyOfRange(ring, (rows - keep) * d, rows * d);
    }
}
