package io.flowcast.flow;

/** The elementwise transform inside each coupling layer. */
public enum CouplingKind {
    /** Monotone rational-quadratic splines (Neural Spline Flows), identity tails outside [-B, B]. */
    SPLINE,
    /** RealNVP affine coupling with a tanh-bounded log-scale: cheaper, less expressive. */
    AFFINE
}
