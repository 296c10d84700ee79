package io.flowcast.anomaly;

/**
 * The last {@code capacity} values of one series, newest first by index ({@code back} 0 is the newest), with the
 * two summaries the evidence views rank: the mean of the last k values and the mean absolute change over the last
 * k steps. Not thread-safe.
 */
final class RecentValues {

    private final double[] ring;
    private long count;

    RecentValues(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.ring = new double[capacity];
    }

    void add(double value) {
        ring[(int) (count % ring.length)] = value;
        count++;
    }

    int capacity() {
        return ring.length;
    }

    /** Values added so far (not capped by the capacity). */
    long count() {
        return count;
    }

    /** Whether the value {@code back} records before the newest is still kept. */
    boolean has(int back) {
        return back >= 0 && back < ring.length && back < count;
    }

    /** The value {@code back} records before the newest (0: the newest); see {@link #has}. */
    double get(int back) {
        if (!has(back)) {
            throw new IndexOutOfBoundsException("no value " + back + " back (kept " + Math.min(count, ring.length)
                    + ")");
        }
        return ring[(int) ((count - 1 - back) % ring.length)];
    }

    /** Mean of the newest k values; needs k kept. */
    double meanOfLast(int k) {
        double sum = 0;
        for (int b = 0; b < k; b++) {
            sum += get(b);
        }
        return sum / k;
    }

    /** Mean of |v_b - v_{b+1}| over the newest k steps; needs k + 1 kept. */
    double meanAbsoluteChange(int k) {
        double sum = 0;
        for (int b = 0; b < k; b++) {
            sum += Math.abs(get(b) - get(b + 1));
        }
        return sum / k;
    }
}
