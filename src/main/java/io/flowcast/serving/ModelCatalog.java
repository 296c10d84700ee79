package io.flowcast.serving;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stream name to the model that scores it now. The topology asks for the current model once per record and uses
 * that handle for the whole record, so a catalog can swap versions at any time (hot swap) without a record being
 * scored by two. Implementations are thread-safe: every stream thread shares one catalog.
 */
public interface ModelCatalog {

    /** The streams this service scores; a record naming another stream is dead-lettered. */
    Set<String> streams();

    /** The stream's profile; empty for a stream this service does not score. */
    Optional<StreamProfile> profile(String stream);

    /** The model that scores the stream now; empty while the stream is warming up. */
    Optional<StreamModel> current(String stream);

    /**
     * Offers one (x, context) pair of a stream that has no model yet, built with the profile's context spec.
     * A catalog that learns from the stream fits its first model from these; others ignore them.
     */
    default void learn(String stream, float[] x, float[] context) {
    }

    /**
     * The stream's current model, held until the lease is closed: a catalog that swaps versions closes a replaced
     * version only once its leases are closed. By default a lease on {@link #current}, with nothing to release.
     */
    default Optional<ModelLease> lease(String stream) {
        return current(stream).map(ModelLease::unmanaged);
    }

    /**
     * The stream's model versions this catalog knows, the serving one first. By default only the serving version,
     * measured from its calibration sample, without a creation time; catalogs that keep history override it.
     */
    default List<ModelVersionInfo> versions(String stream) {
        return current(stream).map(model -> List.of(ModelVersionInfo.serving(model, null))).orElse(List.of());
    }

    /**
     * Where the stream's model stands. By default a stream with a model is SERVING and one without is LEARNING;
     * catalogs that load models (and warm them up) say LOADING meanwhile.
     */
    default ModelReadiness readiness(String stream) {
        return current(stream).isPresent() ? ModelReadiness.SERVING : ModelReadiness.LEARNING;
    }
}
