package io.flowcast.topology;

import java.util.Objects;

/**
 * The last values of one entity in one stream, oldest first, the event time of the newest, and what scoring keeps
 * between its records: the latent state of its innovation score (its alarm evidence, larger and needed only when its
 * batch is scored, has a store of its own). Immutable: an update returns a new history, so a
 * failure half-way through a record leaves the stored one untouched.
 *
 * <p>The values are updated when a record is admitted, the latent state when it has been scored (it needs the
 * record's code): {@link #withLatent} writes it back after the micro-batch.
 *
 * @param latent the latent state after the entity's last scored record ({@link LatentMemory#NONE} after a reset)
 */
public record EntityHistory(int dimension, int rows, float[] values, long lastEventTime, LatentMemory latent) {

    public EntityHistory {
        if (dimension < 1 || rows < 0 || values.length != rows * dimension) {
            throw new IllegalArgumentException("history of " + rows + " rows of " + dimension + " holds "
                    + values.length + " values");
        }
        Objects.requireNonNull(latent, "latent");
    }

    /** A history without scoring state: a new entity, or one starting afresh after a long silence. */
    public EntityHistory(int dimension, int rows, float[] values, long lastEventTime) {
        this(dimension, rows, values, lastEventTime, LatentMemory.NONE);
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
        return new EntityHistory(dimension, kept + 1, next, eventTime, latent);
    }

    /** This history with the latent state its newest scored record left. */
    public EntityHistory withLatent(LatentMemory next) {
        return new EntityHistory(dimension, rows, values, lastEventTime, next);
    }

    /**
     * Whether the entity starts afresh at the record after this history (new, or reset after a long silence): its
     * scoring state is this history's, whatever an earlier record of the same micro-batch left.
     */
    public boolean fresh() {
        return rows == 0;
    }
}
