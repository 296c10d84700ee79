package io.flowcast.topology;

import io.flowcast.anomaly.EntityEvidence;
import java.util.Objects;

/**
 * The last values of one entity in one stream, oldest first, the event time of the newest, and what scoring keeps
 * between its records: the latent state of its innovation score and its alarm evidence. Immutable: an update returns a new history, so a
 * failure half-way through a record leaves the stored one untouched.
 *
 * <p>The values are updated when a record is admitted, the scoring state when it has been scored (it needs the
 * record's code and calibrated tail): {@link #withScoringState} writes it back after the micro-batch.
 *
 * @param latent   the latent state after the entity's last scored record ({@link LatentMemory#NONE} after a reset)
 * @param evidence the entity's alarm evidence state ({@link EntityEvidence}); null when its stream keeps none or
 *                 the entity has none yet
 */
public record EntityHistory(int dimension, int rows, float[] values, long lastEventTime, LatentMemory latent,
        EntityEvidence.State evidence) {

    public EntityHistory {
        if (dimension < 1 || rows < 0 || values.length != rows * dimension) {
            throw new IllegalArgumentException("history of " + rows + " rows of " + dimension + " holds "
                    + values.length + " values");
        }
        Objects.requireNonNull(latent, "latent");
    }

    /** A history without scoring state: a new entity, or one starting afresh after a long silence. */
    public EntityHistory(int dimension, int rows, float[] values, long lastEventTime) {
        this(dimension, rows, values, lastEventTime, LatentMemory.NONE, null);
    }

    /** A history with a latent state and no evidence. */
    public EntityHistory(int dimension, int rows, float[] values, long lastEventTime, LatentMemory latent) {
        this(dimension, rows, values, lastEventTime, latent, null);
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
        return new EntityHistory(dimension, kept + 1, next, eventTime, latent, evidence);
    }

    /** This history with the latent state its newest scored record left. */
    public EntityHistory withLatent(LatentMemory next) {
        return new EntityHistory(dimension, rows, values, lastEventTime, next, evidence);
    }

    /** This history with the scoring state its newest scored record left. */
    public EntityHistory withScoringState(LatentMemory nextLatent, EntityEvidence.State nextEvidence) {
        return new EntityHistory(dimension, rows, values, lastEventTime, nextLatent, nextEvidence);
    }

    /**
     * Whether the entity starts afresh at the record after this history (new, or reset after a long silence): its
     * scoring state is this history's, whatever an earlier record of the same micro-batch left.
     */
    public boolean fresh() {
        return rows == 0;
    }
}
