package io.flowcast.flow.math;

/**
 * The Cholesky factor L (lower triangular, A = L L^T) of a symmetric positive-definite matrix, with the solves and
 * the log-determinant a Gaussian density needs. Matrices are dense row-major double arrays of size n * n.
 */
public final class Cholesky {

    private final int n;
    private final double[] lower;

    private Cholesky(int n, double[] lower) {
        this.n = n;
        this.lower = lower;
    }

    /**
     * Factors {@code a} (only its lower triangle is read).
     *
     * @throws IllegalArgumentException when {@code a} is not positive definite (a pivot is not positive or not finite)
     */
    public static Cholesky of(double[] a, int n) {
        if (a.length != n * n) {
            throw new IllegalArgumentException("expected " + n * n + " values, got " + a.length);
        }
        double[] l = new double[n * n];
        for (int j = 0; j < n; j++) {
            double pivot = a[j * n + j];
            for (int k = 0; k < j; k++) {
                pivot -= l[j * n + k] * l[j * n + k];
            }
            if (!(pivot > 0) || !Double.isFinite(pivot)) {
                throw new IllegalArgumentException("matrix is not positive definite (pivot " + j + " = " + pivot + ")");
            }
            double diagonal = Math.sqrt(pivot);
            l[j * n + j] = diagonal;
            for (int i = j + 1; i < n; i++) {
                double sum = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = sum / diagonal;
            }
        }
        return new Cholesky(n, l);
    }

    public int size() {
        return n;
    }

    /** L[i][j]. */
    public double lower(int i, int j) {
        return lower[i * n + j];
    }

    /** log det(A) = 2 sum log L_ii. */
    public double logDeterminant() {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.log(lower[i * n + i]);
        }
        return 2 * sum;
    }

    /** Solves L z = b by forward substitution; z is written to {@code out} (which may be {@code b}). */
    public void solveLower(double[] b, double[] out) {
        for (int i = 0; i < n; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= lower[i * n + k] * out[k];
            }
            out[i] = sum / lower[i * n + i];
        }
    }

    /** Solves A x = b (L y = b, then L^T x = y). */
    public double[] solve(double[] b) {
        double[] y = new double[n];
        solveLower(b, y);
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) {
                sum -= lower[k * n + i] * x[k];
            }
            x[i] = sum / lower[i * n + i];
        }
        return x;
    }

    /** Computes L z (used to colour standard-normal draws); {@code out} must differ from {@code z}. */
    public void multiplyLower(double[] z, double[] out) {
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int k = 0; k <= i; k++) {
                sum += lower[i * n + k] * z[k];
            }
            out[i] = sum;
        }
    }
}
