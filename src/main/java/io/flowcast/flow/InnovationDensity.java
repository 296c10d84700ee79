package io.flowcast.flow;

/**
 * A flow whose codes of one entity's records are dependent (trained with an AR(1), Ornstein-Uhlenbeck or
 * compound-symmetry objective): besides the marginal p(x | c) it scores a record given the entity's
 * {@link LatentState} (its innovation). The entity's state lives with the caller (the topology's per-entity store);
 * this interface is pure.
 */
public interface InnovationDensity extends ConditionalDensity {

    /** How the codes of one entity's records depend on each other. */
    LatentDependence dependence();

    /** The codes z = f(x; c) of a batch, {@code batch * dimension()} values. */
    float[] codes(float[] x, float[] c, int batch);

    /**
     * Scores a batch of records each given its entity's state ({@code states[i]} before record i; records of one
     * entity in one batch must be scored in separate calls, in order, since each needs the state after the
     * previous).
     */
    default Innovation[] innovations(float[] x, float[] c, int batch, LatentState[] states, long[] eventTimes) {
        if (states.length != batch || eventTimes.length != batch) {
            throw new IllegalArgumentException("need one state and one event time per row");
        }
        float[] marginal = logProb(x, c, batch);
        float[] z = codes(x, c, batch);
        int d = dimension();
        Innovation[] out = new Innovation[batch];
        for (int i = 0; i < batch; i++) {
            double[] code = new double[d];
            for (int j = 0; j < d; j++) {
                code[j] = z[i * d + j];
            }
            out[i] = Innovation.of(dependence(), states[i], code, marginal[i], eventTimes[i]);
        }
        return out;
    }
}
