package io.flowcast.trajectory;

/**
 * How a forecast draws its N base codes per agent (the flows map them to sampled paths). Only the sampled paths
 * change: every log-density the forecaster reports is still the flows' exact density of the point it is given.
 *
 * <ul>
 *   <li>{@code antithetic}: the second half of an agent's codes are the negated first half (per step), so the
 *       samples come in pairs mirrored through the mode: for best-of-N, N/2 independent draws that cover both
 *       sides (left/right, faster/slower) instead of N that may cluster on one;</li>
 *   <li>{@code temperature}: codes multiplied by it (1: the flow's own distribution; below 1: samples nearer the
 *       mode). With a temperature other than 1 the samples no longer follow the forecast density, so a consumer
 *       re-weighting them as draws from it (the rapid update) would be biased: keep 1 there.</li>
 * </ul>
 */
public record CodeSampler(boolean antithetic, double temperature) {

    /** Independent standard-normal codes: the flow's own distribution. */
    public static final CodeSampler IID = new CodeSampler(false, 1);

    public CodeSampler {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0: " + temperature);
        }
    }

    /**
     * Turns i.i.d. standard-normal draws {@code z} of one step (rows of 2, agent-major, {@code perAgent} rows per
     * agent of which the first {@code samples} are samples) into the step's codes, in place.
     */
    void apply(float[] z, int agents, int perAgent, int samples) {
        if (antithetic) {
            int half = samples / 2;
            for (int a = 0; a < agents; a++) {
                int first = a * perAgent;
                for (int i = 0; i < half; i++) {
                    z[2 * (first + half + i)] = -z[2 * (first + i)];
                    z[2 * (first + half + i) + 1] = -z[2 * (first + i) + 1];
                }
            }
        }
        if (temperature != 1) {
            float t = (float) temperature;
            for (int i = 0; i < z.length; i++) {
                z[i] *= t;
            }
        }
    }
}
