package io.flowcast.serving;

/** Where a stream's model stands, for the readiness check. */
public enum ModelReadiness {
    /**
     * No model yet, and none to load: the stream learns its first model from its own records. Counts as ready,
     * since only consuming records ends it.
     */
    LEARNING,
    /** A version is chosen but not yet loaded or warmed up (sessions being built, first inference pending). */
    LOADING,
    /** A loaded, warmed-up model scores the stream. */
    SERVING
}
