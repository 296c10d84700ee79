package io.flowcast.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.math.Cholesky;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The closed forms of the dependent-data models against a dense multivariate-normal computation (Cholesky of the
 * n x n Sigma), the chain rule between innovations and the joint density, and the edges (zero gaps, one record,
 * rho near +-1, k = 0).
 */
public class LatentDependenceTest {

    private static final int N = 10;
    private static final int D = 3;

    /** log N(vec Z; 0, Sigma (x) I_d), each column of Z an independent N(0, Sigma), via a dense Cholesky. */
    static double denseLogDensity(double[] sigma, double[] z, int n, int d) {
        Cholesky cholesky = Cholesky.of(sigma, n);
        double quadratic = 0;
        for (int j = 0; j < d; j++) {
            double[] column = new double[n];
            for (int i = 0; i < n; i++) {
                column[i] = z[i * d + j];
            }
            double[] solved = cholesky.solve(column);
            for (int i = 0; i < n; i++) {
                quadratic += column[i] * solved[i];
            }
        }
        return -0.5 * (quadratic + d * cholesky.logDeterminant() + (double) n * d * Math.log(2 * Math.PI));
    }

    public static double[] randomCodes(long seed, int n, int d) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] z = new double[n * d];
        for (int i = 0; i < z.length; i++) {
            z[i] = random.nextGaussian() * 1.3;
        }
        return z;
    }

    public static long[] irregularTimes(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] times = new long[n];
        times[0] = 1_700_000_000_000L;
        for (int i = 1; i < n; i++) {
            times[i] = times[i - 1] + (random.nextInt(4) == 0 ? 0 : random.nextLong(1, 20_000));
        }
        return times;
    }

    @Test
    void ar1ClosedFormMatchesDenseCholesky() {
        for (double rho : new double[] {-0.8, -0.1, 0.3, 0.95}) {
            double[] sigma = new double[N * N];
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    sigma[i * N + j] = Math.pow(rho, Math.abs(i - j));
                }
            }
            double[] z = randomCodes(7, N, D);
            double expected = denseLogDensity(sigma, z, N, D);
            assertEquals(expected, new LatentDependence.Ar1(rho).jointLogDensity(z, N, D, new long[N]),
                    1e-10 * Math.abs(expected), "rho " + rho);
        }
    }

    @Test
    void ornsteinUhlenbeckClosedFormMatchesDenseCholeskyOnIrregularTimes() {
        long[] times = irregularTimes(3, N);
        LatentDependence.OrnsteinUhlenbeck ou = new LatentDependence.OrnsteinUhlenbeck(12.5);
        double[] sigma = new double[N * N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                // exp(-|s_i - s_j| / tau) with each gap floored as the closed form does
                double gap = 0;
                for (int t = Math.min(i, j) + 1; t <= Math.max(i, j); t++) {
                    gap += Math.max(LatentDependence.MIN_GAP_SECONDS, (times[t] - times[t - 1]) / 1000.0);
                }
                sigma[i * N + j] = Math.exp(-gap / 12.5);
            }
        }
        double[] z = randomCodes(11, N, D);
        double expected = denseLogDensity(sigma, z, N, D);
        assertEquals(expected, ou.jointLogDensity(z, N, D, times), 1e-10 * Math.abs(expected));
    }

    @Test
    void compoundSymmetryClosedFormMatchesDenseCholesky() {
        for (double a : new double[] {0.05, 0.5, 0.97}) {
            double[] sigma = new double[N * N];
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    sigma[i * N + j] = (i == j ? 1 - a : 0) + a;
                }
            }
            double[] z = randomCodes(5, N, D);
            double expected = denseLogDensity(sigma, z, N, D);
            assertEquals(expected, new LatentDependence.CompoundSymmetry(a).jointLogDensity(z, N, D, null),
                    1e-10 * Math.abs(expected), "a " + a);
        }
    }

    @Test
    void noDependenceIsExactlyTheIidDensity() {
        double[] z = randomCodes(9, N, D);
        double iid = LatentDependence.independent().jointLogDensity(z, N, D, null);
        assertEquals(iid, new LatentDependence.Ar1(0).jointLogDensity(z, N, D, null), 1e-12 * Math.abs(iid));
        assertEquals(iid, new LatentDependence.CompoundSymmetry(0).jointLogDensity(z, N, D, null),
                1e-12 * Math.abs(iid));
    }

    @Test
    void innovationsSumToTheJointLogDensity() {
        long[] times = irregularTimes(17, N);
        double[] z = randomCodes(13, N, D);
        for (LatentDependence dependence : List.of(LatentDependence.independent(), new LatentDependence.Ar1(0.6),
                new LatentDependence.OrnsteinUhlenbeck(4.0), new LatentDependence.CompoundSymmetry(0.4))) {
            LatentState state = LatentState.empty();
            double sum = 0;
            for (int t = 0; t < N; t++) {
                double[] code = java.util.Arrays.copyOfRange(z, t * D, (t + 1) * D);
                sum += dependence.conditional(state, times[t]).logDensity(state, code);
                state = dependence.next(state, code, times[t]);
            }
            double joint = dependence.jointLogDensity(z, N, D, times);
            assertEquals(joint, sum, 1e-10 * Math.abs(joint), dependence.kind());
        }
    }

    @Test
    void edgesStayFinite() {
        double[] one = {0.3, -2, 1};
        long[] time = {5};
        for (LatentDependence dependence : List.of(new LatentDependence.Ar1(0.999999999),
                new LatentDependence.Ar1(-0.999999999), new LatentDependence.OrnsteinUhlenbeck(1e-6),
                new LatentDependence.OrnsteinUhlenbeck(1e12), new LatentDependence.CompoundSymmetry(0.999999))) {
            assertEquals(LatentDependence.independent().jointLogDensity(one, 1, 3, time),
                    dependence.jointLogDensity(one, 1, 3, time), 1e-12, "one record is its marginal");
            double[] two = {0.3, -2, 1, 0.3, -2, 1};
            assertTrue(Double.isFinite(dependence.jointLogDensity(two, 2, 3, new long[] {5, 5})), dependence.kind());
            LatentState empty = LatentState.empty();
            LatentDependence.Conditional first = dependence.conditional(empty, 5);
            assertEquals(1, first.variance(), "k = 0 is the marginal N(0, I)");
            LatentState after = dependence.next(empty, one, 5);
            double logDensity = dependence.conditional(after, 5).logDensity(after, new double[] {1, 1, 1});
            assertTrue(Double.isFinite(logDensity), dependence + " gives " + logDensity);
        }
        assertEquals(0, LatentDependence.independent().jointLogDensity(new double[0], 0, 3, new long[0]), 0);
    }

    @Test
    void manifestsRoundTripAndBadParametersAreRefused() {
        for (LatentDependence dependence : List.of(LatentDependence.independent(), new LatentDependence.Ar1(-0.2),
                new LatentDependence.OrnsteinUhlenbeck(30), new LatentDependence.CompoundSymmetry(0.25))) {
            assertEquals(dependence, LatentDependence.of(dependence.kind(), dependence.parameters()));
        }
        assertThrows(IllegalArgumentException.class, () -> LatentDependence.of("ar1", Map.of("rho", 1.0)));
        assertThrows(IllegalArgumentException.class, () -> LatentDependence.of("ou", Map.of("tau_seconds", -1.0)));
        assertThrows(IllegalArgumentException.class, () -> LatentDependence.of("compound-symmetry", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> LatentDependence.of("garch", Map.of()));
    }
}
