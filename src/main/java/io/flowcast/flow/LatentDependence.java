package io.flowcast.flow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the latent codes z = f(x; c) of one entity's records depend on each other (shared/DEPENDENT-DATA.md): the
 * codes of a window are jointly Gaussian, each column N(0, Sigma), with Sigma = I (independent), rho^|i-j|
 * (AR(1), evenly spaced), prod exp(-gap / tau) (Ornstein-Uhlenbeck, irregular gaps) or (1 - a) I + a J (compound
 * symmetry: a random effect shared by the group). The flow is the same in every case; only the base changes.
 *
 * <p>Everything here is O(n d) double-precision arithmetic on codes: the joint log-density of a window in closed
 * form, and the conditional N(mu, v I) of the next code given the entity's {@link LatentState} (the innovation
 * score). Gaussian bases only: a Student-t model is scored as independent.
 */
public sealed interface LatentDependence {

    double LOG_TWO_PI = Math.log(2 * Math.PI);
    /** Equal timestamps would make the OU covariance singular: gaps are floored at a millisecond. */
    double MIN_GAP_SECONDS = 1e-3;
    /** Floor of a conditional variance (rho near +-1), so a log-density is never infinite. */
    double MIN_VARIANCE = 1e-9;

    /** The name stored in manifests: {@code iid}, {@code ar1}, {@code ou} or {@code compound-symmetry}. */
    String kind();

    /** The fitted dependence parameters by name (rho, tau_seconds, a); empty when independent. */
    Map<String, Double> parameters();

    /**
     * The distribution of the next code given the past: z_next ~ N(meanScale * state.vector, variance * I).
     *
     * @param eventTime the next record's event time, epoch ms (used by the OU form)
     */
    Conditional conditional(LatentState state, long eventTime);

    /** The state after a record with code {@code z} at {@code eventTime}. */
    LatentState next(LatentState state, double[] z, long eventTime);

    /**
     * The joint log-density of one window's codes in closed form (rows in time order), without the flow's
     * log-determinant: log N(vec Z; 0, Sigma (x) I_d).
     *
     * @param z     n rows of d codes, row-major
     * @param times event time per row, epoch ms (only the OU form reads them)
     */
    double jointLogDensity(double[] z, int n, int d, long[] times);

    /** z_next ~ N(meanScale * vector, variance * I). */
    record Conditional(double meanScale, double variance) {

        /** log N(z; meanScale * state.vector, variance * I). */
        public double logDensity(LatentState state, double[] z) {
            return -0.5 * (residualSquared(state, z) / variance + z.length * (Math.log(variance) + LOG_TWO_PI));
        }

        /** |z - mu|^2 / variance: chi-square with d degrees of freedom under the model (comparable across gaps). */
        public double standardisedResidualSquared(LatentState state, double[] z) {
            return residualSquared(state, z) / variance;
        }

        private double residualSquared(LatentState state, double[] z) {
            double sum = 0;
            boolean past = !state.isEmpty() && meanScale != 0;
            for (int j = 0; j < z.length; j++) {
                double r = past ? z[j] - meanScale * state.component(j) : z[j];
                sum += r * r;
            }
            return sum;
        }
    }

    static LatentDependence independent() {
        return Independent.INSTANCE;
    }

    /**
     * Rebuilds a dependence from what a manifest stores ({@link #kind()} and {@link #parameters()}); an unknown kind
     * or a parameter out of range is an IllegalArgumentException.
     */
    static LatentDependence of(String kind, Map<String, Double> parameters) {
        Map<String, Double> p = parameters == null ? Map.of() : parameters;
        return switch (kind == null ? "iid" : kind) {
            case "iid" -> independent();
            case "ar1" -> new Ar1(require(p, "rho"));
            case "ou" -> new OrnsteinUhlenbeck(require(p, "tau_seconds"));
            case "compound-symmetry" -> new CompoundSymmetry(require(p, "a"));
            default -> throw new IllegalArgumentException("unknown dependence kind '" + kind + "'");
        };
    }

    private static double require(Map<String, Double> parameters, String name) {
        Double value = parameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("dependence parameter '" + name + "' is missing");
        }
        return value;
    }

    /** The i.i.d. model: every code N(0, I) whatever the past. */
    enum Independent implements LatentDependence {
        INSTANCE;

        @Override
        public String kind() {
            return "iid";
        }

        @Override
        public Map<String, Double> parameters() {
            return Map.of();
        }

        @Override
        public Conditional conditional(LatentState state, long eventTime) {
            return new Conditional(0, 1);
        }

        @Override
        public LatentState next(LatentState state, double[] z, long eventTime) {
            return new LatentState(z, state.count() + 1, eventTime);
        }

        @Override
        public double jointLogDensity(double[] z, int n, int d, long[] times) {
            return -0.5 * (sumOfSquares(z, 0, n * d) + (double) n * d * LOG_TWO_PI);
        }
    }

    /** Evenly spaced records: Sigma_ij = rho^|i-j|, -1 < rho < 1. */
    record Ar1(double rho) implements LatentDependence {
        public Ar1 {
            if (!(rho > -1 && rho < 1)) {
                throw new IllegalArgumentException("AR(1) rho must be in (-1, 1), got " + rho);
            }
        }

        @Override
        public String kind() {
            return "ar1";
        }

        @Override
        public Map<String, Double> parameters() {
            return Map.of("rho", rho);
        }

        @Override
        public Conditional conditional(LatentState state, long eventTime) {
            return state.isEmpty() ? new Conditional(0, 1)
                    : new Conditional(rho, Math.max(MIN_VARIANCE, (1 - rho) * (1 + rho)));
        }

        @Override
        public LatentState next(LatentState state, double[] z, long eventTime) {
            return new LatentState(z, state.count() + 1, eventTime);
        }

        @Override
        public double jointLogDensity(double[] z, int n, int d, long[] times) {
            double[] rhos = new double[n];
            double[] variances = new double[n];
            java.util.Arrays.fill(rhos, rho);
            java.util.Arrays.fill(variances, Math.max(MIN_VARIANCE, (1 - rho) * (1 + rho)));
            return markovLogDensity(z, n, d, rhos, variances);
        }
    }

    /** Irregular gaps: the correlation of consecutive codes is exp(-gap / tau), tau in seconds. */
    record OrnsteinUhlenbeck(double tauSeconds) implements LatentDependence {
        public OrnsteinUhlenbeck {
            if (!(tauSeconds > 0) || Double.isInfinite(tauSeconds)) {
                throw new IllegalArgumentException("OU tau must be positive and finite, got " + tauSeconds);
            }
        }

        @Override
        public String kind() {
            return "ou";
        }

        @Override
        public Map<String, Double> parameters() {
            return Map.of("tau_seconds", tauSeconds);
        }

        /** exp(-gap / tau) for the gap between two event times (floored at {@link #MIN_GAP_SECONDS}). */
        public double correlation(long previousTime, long time) {
            return Math.exp(-gapSeconds(previousTime, time) / tauSeconds);
        }

        @Override
        public Conditional conditional(LatentState state, long eventTime) {
            if (state.isEmpty()) {
                return new Conditional(0, 1);
            }
            double gap = gapSeconds(state.lastEventTime(), eventTime);
            // 1 - rho^2 without cancellation for short gaps.
            return new Conditional(Math.exp(-gap / tauSeconds), Math.max(MIN_VARIANCE, -Math.expm1(-2 * gap / tauSeconds)));
        }

        @Override
        public LatentState next(LatentState state, double[] z, long eventTime) {
            return new LatentState(z, state.count() + 1, eventTime);
        }

        @Override
        public double jointLogDensity(double[] z, int n, int d, long[] times) {
            double[] rhos = new double[n];
            double[] variances = new double[n];
            for (int t = 1; t < n; t++) {
                double gap = gapSeconds(times[t - 1], times[t]);
                rhos[t] = Math.exp(-gap / tauSeconds);
                variances[t] = Math.max(MIN_VARIANCE, -Math.expm1(-2 * gap / tauSeconds));
            }
            return markovLogDensity(z, n, d, rhos, variances);
        }

        static double gapSeconds(long previousTime, long time) {
            return Math.max(MIN_GAP_SECONDS, (time - (double) previousTime) / 1000.0);
        }
    }

    /** A random effect shared by a group's records: Sigma = (1 - a) I + a J, 0 <= a < 1. */
    record CompoundSymmetry(double a) implements LatentDependence {
        public CompoundSymmetry {
            if (!(a >= 0 && a < 1)) {
                throw new IllegalArgumentException("compound symmetry a must be in [0, 1), got " + a);
            }
        }

        @Override
        public String kind() {
            return "compound-symmetry";
        }

        @Override
        public Map<String, Double> parameters() {
            return Map.of("a", a);
        }

        /** After k records with code sum s_k: mean a / (1 + (k-1) a) s_k, variance (1-a)(1+ka)/(1+(k-1)a). */
        @Override
        public Conditional conditional(LatentState state, long eventTime) {
            int k = state.count();
            if (k == 0) {
                return new Conditional(0, 1);
            }
            double denominator = 1 + (k - 1) * a;
            return new Conditional(a / denominator, Math.max(MIN_VARIANCE, (1 - a) * (1 + k * a) / denominator));
        }

        @Override
        public LatentState next(LatentState state, double[] z, long eventTime) {
            double[] sum = state.isEmpty() ? new double[z.length] : state.vector();
            for (int j = 0; j < z.length; j++) {
                sum[j] += z[j];
            }
            return new LatentState(sum, state.count() + 1, eventTime);
        }

        /** Eigenvalues 1 - a (m - 1 times) and 1 + (m - 1) a: O(m d), no m x m matrix. */
        @Override
        public double jointLogDensity(double[] z, int m, int d, long[] times) {
            if (m == 0) {
                return 0;
            }
            // The eigen-split of the quadratic form, free of cancellation as a -> 1: deviations from each column's
            // window mean over 1 - a, the means over 1 + (m - 1) a.
            double within = 0;
            double between = 0;
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int i = 0; i < m; i++) {
                    s += z[i * d + j];
                }
                double mean = s / m;
                for (int i = 0; i < m; i++) {
                    double deviation = z[i * d + j] - mean;
                    within += deviation * deviation;
                }
                between += s * mean;
            }
            double logDet = (m - 1) * Math.log1p(-a) + Math.log1p((m - 1) * a);
            double trace = within / (1 - a) + between / (1 + (m - 1) * a);
            return -0.5 * (trace + d * logDet + (double) m * d * LOG_TWO_PI);
        }
    }

    /**
     * log-density of a Gaussian Markov chain with unit marginals, correlation rhos[t] and conditional variance variances[t] = 1 - rhos[t]^2 between rows t-1 and t:
     * log|Sigma| = sum log(1 - rho_t^2), tr = |z_1|^2 + sum |z_t - rho_t z_{t-1}|^2 / (1 - rho_t^2).
     */
    private static double markovLogDensity(double[] z, int n, int d, double[] rhos, double[] variances) {
        if (n == 0) {
            return 0;
        }
        double quadratic = sumOfSquares(z, 0, d);
        double logDet = 0;
        for (int t = 1; t < n; t++) {
            double rho = rhos[t];
            double variance = variances[t];
            double residual = 0;
            for (int j = 0; j < d; j++) {
                double r = z[t * d + j] - rho * z[(t - 1) * d + j];
                residual += r * r;
            }
            quadratic += residual / variance;
            logDet += Math.log(variance);
        }
        return -0.5 * (quadratic + d * logDet + (double) n * d * LOG_TWO_PI);
    }

    private static double sumOfSquares(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i] * values[i];
        }
        return sum;
    }

    /** The parameters as a mutable ordered map (manifest writers add their own keys). */
    default Map<String, Double> parameterMap() {
        return new LinkedHashMap<>(parameters());
    }
}
