package io.flowcast.flow;

/** How dimensions are mixed between two couplings so that every dimension gets transformed. */
public enum MixingKind {
    /** A fixed permutation drawn from the config's seed. */
    PERMUTATION,
    /** The same fixed permutation followed by a learned LU-decomposed linear map (positive diagonal). */
    LU
}
