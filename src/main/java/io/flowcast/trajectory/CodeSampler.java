package io.flowcast.trajectory;

/**
 * How a forecast draws its N base codes per agent (the flows map them to sampled paths). Only the sampled paths
 * change: every log-density the forecaster reports is still the flows' exact density of the point it is given, and
 * in every mode each sample's whole code (all steps) is marginally an exact standard-normal draw, so every sampled
 * path is marginally an exact draw from the chain's distribution; only the dependence between an agent's N samples
 * changes.
 *
 * <ul>
 *   <li>{@code antithetic}: the second half of an agent's codes are the negated first half (per step), so the
 *       samples come in pairs mirrored through the mode: for best-of-N, N/2 independent draws that cover both
 *       sides (left/right, faster/slower) instead of N that may cluster on one;</li>
 *   <li>{@code stratified}: the component of each sample's code along the lead direction (per coordinate, the
 *       steps weighted as they move the final position: step h of H by H - h + 1, since the chain's steps are second
 *       differences) is replaced, for the N samples of an agent jointly, by a randomly shifted rank-1 lattice of N
 *       points in the unit square (the generator whose points lie farthest apart) mapped to the plane by
 *       Box-Muller: one sample per radius stratum of that 2-D component, the angles spread by the lattice,
 *       so the N paths spread over the final-position plane (near and far, every direction) instead of
 *       clustering. Exact: the lead component of a standard normal is a standard normal
 *       independent of the rest; a shifted lattice point is uniform on the unit square and Box-Muller maps a
 *       uniform point to a standard normal pair; the shift is itself made from a discarded lead component, so it is
 *       independent of the kept parts (randomized quasi-Monte Carlo);</li>
 *   <li>{@code temperature}: codes multiplied by it (1: the flow's own distribution; below 1: samples nearer the
 *       mode). With a temperature other than 1 the samples no longer follow the forecast density, so a consumer
 *       re-weighting them as draws from it (the rapid update) would be biased: keep 1 there.</li>
 * </ul>
 */
public record CodeSampler(boolean antithetic, double temperature, boolean stratified) {

    /** Independent standard-normal codes: the flow's own distribution. */
    public static final CodeSampler IID = new CodeSampler(false, 1, false);

    public CodeSampler {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0: " + temperature);
        }
    }

    /** Without stratification. */
    public CodeSampler(boolean antithetic, double temperature) {
        this(antithetic, temperature, false);
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

    /**
     * The part of the sampling that spans the steps, applied once all steps' codes are drawn by {@link #apply}:
     * {@code codes} holds one row of {@code 2 * horizons} values (step-major, x then y) per row, agent-major with
     * {@code perAgent} rows per agent of which the first {@code samples} are samples. Nothing happens unless
     * {@link #stratified()}.
     */
    void applyAcrossSteps(float[] codes, int agents, int perAgent, int samples, int horizons) {
        if (!stratified || samples < 2) {
            return;
        }
        double[] lead = leadDirection(horizons);
        int generator = LatticeGenerator.of(samples);
        int width = 2 * horizons;
        double[] projection = new double[2];
        for (int a = 0; a < agents; a++) {
            int first = a * perAgent;
            // The shift comes from sample 0's lead component (before it is replaced): a standard normal pair,
            // independent of every sample's orthogonal part. Box-Muller backwards turns it into a uniform point.
            project(codes, first * width, lead, horizons, projection);
            double px = projection[0] / temperature;
            double py = projection[1] / temperature;
            double shiftRadius = -Math.expm1(-0.5 * (px * px + py * py));
            double shiftAngle = Math.atan2(py, px) / (2 * Math.PI) + 0.5;
            for (int i = 0; i < samples; i++) {
                int at = (first + i) * width;
                project(codes, at, lead, horizons, projection);
                double u = fraction((double) i / samples + shiftRadius);
                double v = fraction((double) i * generator / samples + shiftAngle);
                double radius = temperature * Math.sqrt(-2 * Math.log1p(-u));
                double sx = radius * Math.cos(2 * Math.PI * v);
                double sy = radius * Math.sin(2 * Math.PI * v);
                for (int h = 0; h < horizons; h++) {
                    codes[at + 2 * h] += (float) (lead[h] * (sx - projection[0]));
                    codes[at + 2 * h + 1] += (float) (lead[h] * (sy - projection[1]));
                }
            }
        }
    }

    /** Unit weights of the steps along which the codes move the final position most: step h of H by H - h + 1. */
    static double[] leadDirection(int horizons) {
        double[] w = new double[horizons];
        double norm = 0;
        for (int h = 0; h < horizons; h++) {
            w[h] = horizons - h;
            norm += w[h] * w[h];
        }
        norm = Math.sqrt(norm);
        for (int h = 0; h < horizons; h++) {
            w[h] /= norm;
        }
        return w;
    }

    private static void project(float[] codes, int at, double[] lead, int horizons, double[] out) {
        double x = 0;
        double y = 0;
        for (int h = 0; h < horizons; h++) {
            x += lead[h] * codes[at + 2 * h];
            y += lead[h] * codes[at + 2 * h + 1];
        }
        out[0] = x;
        out[1] = y;
    }

    private static double fraction(double x) {
        double f = x - Math.floor(x);
        // Guards the rounding of a value just below an integer; keeps log1p(-u) finite.
        return f < 1 ? f : 0;
    }

    /** The rank-1 lattice generator for N points: the one whose points lie farthest apart on the unit torus. */
    static final class LatticeGenerator {

        private static final java.util.concurrent.ConcurrentHashMap<Integer, Integer> CACHE =
                new java.util.concurrent.ConcurrentHashMap<>();

        private LatticeGenerator() {
        }

        static int of(int n) {
            return CACHE.computeIfAbsent(n, LatticeGenerator::search);
        }

        private static int search(int n) {
            int best = 1;
            double bestDistance = -1;
            for (int g = 1; g < n; g++) {
                // Points i/n (1, g): the nearest pair is the same as the nearest point to the origin.
                double nearest = Double.MAX_VALUE;
                for (int i = 1; i < n; i++) {
                    double dx = Math.min(i, n - i) / (double) n;
                    int k = (int) ((long) i * g % n);
                    double dy = Math.min(k, n - k) / (double) n;
                    nearest = Math.min(nearest, dx * dx + dy * dy);
                }
                if (nearest > bestDistance + 1e-12) {
                    bestDistance = nearest;
                    best = g;
                }
            }
            return best;
        }
    }
}
