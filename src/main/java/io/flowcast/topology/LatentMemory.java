package io.flowcast.topology;

import io.flowcast.anomaly.ModelRef;
import io.flowcast.flow.LatentState;
import java.util.Objects;

/**
 * The entity's latent state for its innovation score, with the model version whose codes it holds: a code means
 * something only to the flow that produced it, so a record scored by another version starts from no past.
 *
 * @param model the version that produced {@code state}; null when the entity has no latent past
 */
public record LatentMemory(ModelRef model, LatentState state) {

    public static final LatentMemory NONE = new LatentMemory(null, LatentState.empty());

    public LatentMemory {
        Objects.requireNonNull(state, "state");
        if (model == null && !state.isEmpty()) {
            throw new IllegalArgumentException("a latent state needs the model that produced it");
        }
    }

    /** The state to score a record of {@code scoring} against: this one if that model produced it, else none. */
    public LatentState stateFor(ModelRef scoring) {
        return model != null && model.equals(scoring) ? state : LatentState.empty();
    }
}
