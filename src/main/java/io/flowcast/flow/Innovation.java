package io.flowcast.flow;

/**
 * A record scored given its entity's past: log p(x_t | c_t, past) = log N(z_t; mu, v I) + log|det J_f(x_t; c_t)|,
 * with N(mu, v I) the {@link LatentDependence}'s conditional of the code given the state. A record that the flow
 * finds ordinary on its own but that breaks the entity's continuity scores as unlikely.
 *
 * @param logDensity                log p(x_t | c_t, past), in x's units (the innovation score is its negative)
 * @param standardisedResidualSquared |z_t - mu|^2 / v: chi-square with d degrees of freedom under the model, so
 *                                  records compare across gaps and group sizes
 * @param next                      the entity's state after this record
 */
public record Innovation(double logDensity, double standardisedResidualSquared, LatentState next) {

    private static final double LOG_TWO_PI = Math.log(2 * Math.PI);

    /**
     * The innovation of one record from its code and its marginal log-density under the flow (whose base is
     * N(0, I)): log|det J| = marginal - log N(z; 0, I), so no second pass of the flow is needed.
     *
     * @param z               the record's code f(x_t; c_t)
     * @param marginalLogProb log p(x_t | c_t) under the i.i.d. reading of the same flow
     */
    public static Innovation of(LatentDependence dependence, LatentState state, double[] z, double marginalLogProb,
            long eventTime) {
        double squares = 0;
        for (double value : z) {
            squares += value * value;
        }
        double logDet = marginalLogProb + 0.5 * (squares + z.length * LOG_TWO_PI);
        LatentDependence.Conditional conditional = dependence.conditional(state, eventTime);
        double logDensity = conditional.logDensity(state, z) + logDet;
        return new Innovation(logDensity, conditional.standardisedResidualSquared(state, z),
                dependence.next(state, z, eventTime));
    }
}
