package io.flowcast.flow;

import java.util.Arrays;

/**
 * What an entity's state must keep so that its next record can be scored by its innovation (see
 * {@link LatentDependence}): the previous latent code (temporal dependence) or the running sum of the codes so far
 * (grouped dependence), how many records that covers, and the event time of the newest.
 *
 * @param vector        the previous code z_{t-1} (AR(1) / OU) or the running sum s_k (compound symmetry); d values
 * @param count         records seen since the entity started (or was reset); 0 means "no past": the marginal
 * @param lastEventTime event time of the newest record, epoch ms
 */
public record LatentState(double[] vector, int count, long lastEventTime) {

    public LatentState {
        vector = vector == null ? new double[0] : vector.clone();
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        if (count > 0 && vector.length == 0) {
            throw new IllegalArgumentException("a state that has seen records needs its vector");
        }
    }

    /** The state of an entity with no past (or after a reset). */
    public static LatentState empty() {
        return new LatentState(new double[0], 0, Long.MIN_VALUE);
    }

    public boolean isEmpty() {
        return count == 0;
    }

    @Override
    public double[] vector() {
        return vector.clone();
    }

    double component(int j) {
        return vector[j];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LatentState s && count == s.count && lastEventTime == s.lastEventTime
                && Arrays.equals(vector, s.vector);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(vector) + count) + Long.hashCode(lastEventTime);
    }

    @Override
    public String toString() {
        return "LatentState[count=" + count + ", lastEventTime=" + lastEventTime + ", vector="
                + Arrays.toString(vector) + "]";
    }
}
