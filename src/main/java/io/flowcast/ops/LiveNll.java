package io.flowcast.ops;

import io.flowcast.anomaly.ModelRef;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live negative log-likelihood of each model version, from the scores it publishes: an exponentially weighted
 * mean with a horizon of about {@code horizon} records, so it follows drift without keeping records. Thread-safe.
 */
public final class LiveNll {

    private final double weight;
    private final Map<ModelRef, double[]> means = new ConcurrentHashMap<>();

    /** @param horizon records the mean effectively spans (its weight is 1 / horizon) */
    public LiveNll(int horizon) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be positive");
        }
        this.weight = 1.0 / horizon;
    }

    /** One scored record's log-density; non-finite ones are left out (they say nothing about the average). */
    public void observe(ModelRef model, double logDensity) {
        if (!Double.isFinite(logDensity)) {
            return;
        }
        double nll = -logDensity;
        means.compute(model, (ref, state) -> {
            if (state == null) {
                return new double[] {nll, 1};
            }
            // Until `horizon` records have come, a plain running mean (the EWMA would lean on the first one).
            double n = state[1] + 1;
            double w = Math.max(weight, 1 / n);
            state[0] += w * (nll - state[0]);
            state[1] = n;
            return state;
        });
    }

    /** The model version's live NLL in nats per record; empty before its first score. */
    public Optional<Double> mean(ModelRef model) {
        double[] state = means.get(model);
        return state == null ? Optional.empty() : Optional.of(state[0]);
    }
}
