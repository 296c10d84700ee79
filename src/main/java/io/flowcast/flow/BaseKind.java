package io.flowcast.flow;

/** The base distribution of a flow: where the codes z are supposed to land. */
public enum BaseKind {
    /** Independent standard normal per dimension. */
    GAUSSIAN,
    /** Independent Student-t per dimension with learnable degrees of freedom (heavy tails for anomalies). */
    STUDENT_T
}
