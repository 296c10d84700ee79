package io.flowcast.topology;

/**
 * The last values of one entity in one stream, oldest first, and the event time of the newest. Immutable: an
 * update returns a new history, so a failure half-way through a record leaves the stored one untouched.
 */
public record EntityHistory(int dimension, int rows, float[] values, long lastEventTime) {

    public EntityHistory {
        if (dimension < 1 || rows < 0 || values.length != rows * dimension) {
            throw new IllegalArgumentException("history of " + rows + " rows of " + dimension + " holds "
                    + values.length + " values");
        }
    }

    public static EntityHistory empty(int dimension) {
        return new EntityHistory(dimension, 0, new float[0], Long.MIN_VALUE);
    }

    /** The history after {@code x} at {@code eventTime}, keeping at most {@code capacity} rows. */
    public EntityHistory append(float[] x, long eventTime, int capacity) {
        int kept = Math.min(rows, capacity - 1);
        float[] next = new float[(kept + 1) * dimension];
        System.arraycopy(values, (rows - kept) * dimension, next, 0, kept * dimension);
        System.arraycopy(x, 0, next, kept * dimension, dimension);
        return new EntityHistory(dimension, kept + 1, next, eventTime);
    }
}
