package io.flowcast.anomaly;

/**
 * How unusual a value is next to the stream's own recent values, whatever its context: the two-sided conformal
 * p-value of the value among the last {@code capacity} values, 2 min((1 + #{v_i >= v}) / (n + 1),
 * (1 + #{v_i <= v}) / (n + 1)), capped at 1, each side continued by an exponential tail beyond the kept range. On exchangeable values its false-alarm rate at alpha is at most alpha, as for the
 * conditional tail.
 *
 * <p>Why a second, marginal score: a conditional density p(x_t | recent values) forecasts. A level shift is
 * surprising at its first record only (the next ones are predictable from their context) and a slow excursion never
 * is, while a value never seen before in the stream's recent history is exactly what an operator wants to hear about.
 * Combined with the conditional tail ({@link #combine}), it catches both kinds.
 *
 * <p>Query before {@link #add}: the value being scored is never part of its own reference. Not thread-safe.
 */
public final class MarginalTail {

    private final SlidingCalibration high;
    private final SlidingCalibration low;
    private final double tailFraction;

    /**
     * @param capacity     recent values kept
     * @param tailFraction share of the kept values each side's exponential tail beyond the range is fitted to (see
     *                     {@link SlidingCalibration#extendedTail}), so values beyond everything kept still rank by
     *                     how far beyond they are
     */
    public MarginalTail(int capacity, double tailFraction) {
        if (!(tailFraction > 0 && tailFraction < 1)) {
            throw new IllegalArgumentException("tailFraction must be in (0, 1): " + tailFraction);
        }
        this.high = new SlidingCalibration(capacity);
        this.low = new SlidingCalibration(capacity);
        this.tailFraction = tailFraction;
    }

    /** The two-sided p-value of {@code value} among the kept values; 1 while fewer than two are kept or for NaN. */
    public double tail(double value) {
        if (high.size() < 2 || Double.isNaN(value)) {
            return 1.0;
        }
        return Math.min(1.0, 2.0 * Math.min(high.extendedTail(value, tailFraction),
                low.extendedTail(-value, tailFraction)));
    }

    /** Keeps a value (evicting the oldest when full); non-finite values are ignored. */
    public void add(double value) {
        if (Double.isFinite(value)) {
            high.add(value);
            low.add(-value);
        }
    }

    /**
     * The same value as {@link #tail} of a {@code MarginalTail} of capacity {@code count} that was given, in order,
     * the {@code count} values {@code values[from]}, {@code values[from + stride]}, ... (a column of a row-major
     * ring): computed without building the sample when the value lies within the kept range. There the p-value is
     * two counts, (1 + #{v_i >= v}) / (n + 1) and (1 + #{v_i <= v}) / (n + 1), one linear pass with the same
     * arithmetic as the sorted sample's binary search; only beyond the range, where the exponential tail needs the
     * sorted top of the sample, is the sample built. Non-finite kept values are skipped, as {@link #add} skips them.
     */
    public static double tailAmong(float[] values, int from, int count, int stride, double value,
            double tailFraction) {
        if (!(tailFraction > 0 && tailFraction < 1)) {
            throw new IllegalArgumentException("tailFraction must be in (0, 1): " + tailFraction);
        }
        if (Double.isNaN(value)) {
            return 1.0;
        }
        int n = 0;
        int below = 0;
        int above = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0, at = from; i < count; i++, at += stride) {
            double v = values[at];
            if (!Double.isFinite(v)) {
                continue;
            }
            n++;
            if (v < value) {
                below++;
            } else if (v > value) {
                above++;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (n < 2) {
            return 1.0;
        }
        if (value > max || value < min) {
            MarginalTail sample = new MarginalTail(count, tailFraction);
            for (int i = 0, at = from; i < count; i++, at += stride) {
                sample.add(values[at]);
            }
            return sample.tail(value);
        }
        // SlidingCalibration.tailProbability of each side: (1.0 + n - #{kept < s}) / (n + 1.0), with s = value
        // above and s = -value among the negated values below (#{-v_i < -value} = #{v_i > value}).
        double high = (1.0 + n - below) / (n + 1.0);
        double low = (1.0 + n - above) / (n + 1.0);
        return Math.min(1.0, 2.0 * Math.min(high, low));
    }

    /**
     * The tail of the more extreme of two tails, Bonferroni-corrected: 2 min(a, b), capped at 1, which keeps the
     * false-alarm bound (at most alpha) when each of the two has it, whatever their dependence.
     */
    public static double combine(double a, double b) {
        return Math.min(1.0, 2.0 * Math.min(a, b));
    }
}
