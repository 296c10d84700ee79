package io.flowcast.anomaly;

import java.util.Arrays;

/**
 * A calibration for a stream that learns from itself: the conformal p-value of a raw score against the last
 * {@code capacity} out-of-sample raw scores of the same model (records it was not fitted on, each scored before it
 * joined the sample). Kept sorted, so a query is a binary search and an update one array shift.
 *
 * <p>Above the largest kept score the conformal p-value bottoms out at 1/(n+1), which cannot tell a bad record from
 * a catastrophic one; {@link #extendedTail} continues it with an exponential tail fitted to the top of the sample
 * (peaks over threshold with shape 0), so grades keep ordering records beyond the sample's range.
 */
public final class SlidingCalibration {

    private final int capacity;
    private final double[] ring;
    private final double[] sorted;
    private int size;
    private int next;

    public SlidingCalibration(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.ring = new double[capacity];
        this.sorted = new double[capacity];
    }

    public int size() {
        return size;
    }

    /** Forgets every score (a new model makes the old model's scores incomparable). */
    public void clear() {
        size = 0;
        next = 0;
    }

    /** Adds an out-of-sample raw score, evicting the oldest when full; non-finite scores are ignored. */
    public void add(double rawScore) {
        if (!Double.isFinite(rawScore)) {
            return;
        }
        if (size == capacity) {
            remove(ring[next]);
        }
        ring[next] = rawScore;
        next = (next + 1) % capacity;
        int at = firstIndexNotBelow(rawScore);
        System.arraycopy(sorted, at, sorted, at + 1, size - at);
        sorted[at] = rawScore;
        size++;
    }

    /** (1 + #{kept >= s}) / (n + 1); 1 when empty or for NaN. */
    public double tailProbability(double rawScore) {
        if (size == 0 || Double.isNaN(rawScore)) {
            return 1.0;
        }
        return (1.0 + size - firstIndexNotBelow(rawScore)) / (size + 1.0);
    }

    /**
     * The conformal p-value up to the largest kept score; beyond it, 1/(n+1) times exp(-(s - max) / scale), where
     * scale is the mean excess of the top {@code tailFraction} of the sample over its lower edge (the exponential
     * tail's maximum-likelihood scale). Continuous at the maximum.
     */
    public double extendedTail(double rawScore, double tailFraction) {
        double tail = tailProbability(rawScore);
        if (size < 2 || Double.isNaN(rawScore) || rawScore <= sorted[size - 1]) {
            return tail;
        }
        int top = Math.max(1, Math.min(size - 1, (int) Math.ceil(tailFraction * size)));
        double edge = sorted[size - 1 - top];
        double excess = 0;
        for (int i = size - top; i < size; i++) {
            excess += sorted[i] - edge;
        }
        double scale = excess / top;
        if (!(scale > 0)) {
            return tail;
        }
        return tail * Math.exp(-(rawScore - sorted[size - 1]) / scale);
    }

    /** A snapshot as a fixed calibration (to store with a model). */
    public HeldOutCalibration snapshot() {
        return HeldOutCalibration.of(Arrays.copyOf(sorted, size));
    }

    private void remove(double value) {
        int at = firstIndexNotBelow(value);
        System.arraycopy(sorted, at + 1, sorted, at, size - at - 1);
        size--;
    }

    private int firstIndexNotBelow(double value) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] < value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
