package io.flowcast.flow;

import io.flowcast.flow.math.Cholesky;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A linear-Gaussian conditional density: x | c ~ N(B^T [1, s(c)], Sigma), where s standardises each context column
 * with the training mean and standard deviation. Fitted in closed form by ridge least squares; Sigma is the
 * residual covariance. Exact, cheap and honest: the warming-up fallback until a flow is trained for a stream, and
 * the baseline a flow has to beat.
 */
public final class GaussianDensity implements ConditionalDensity {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final int dimension;
    private final int contextDimension;
    private final double[] contextMean;
    private final double[] contextScale;
    /** (1 + k) x d, row-major: row 0 is the intercept. */
    private final double[] coefficients;
    private final Cholesky covariance;
    private final double logNormaliser;

    private GaussianDensity(int dimension, int contextDimension, double[] contextMean, double[] contextScale,
            double[] coefficients, Cholesky covariance) {
        this.dimension = dimension;
        this.contextDimension = contextDimension;
        this.contextMean = contextMean;
        this.contextScale = contextScale;
        this.coefficients = coefficients;
        this.covariance = covariance;
        this.logNormaliser = -0.5 * covariance.logDeterminant() - 0.5 * dimension * LOG_2PI;
    }

    /**
     * Fits the model to {@code n} rows.
     *
     * @param x     n * d targets, row-major
     * @param c     n * k contexts, row-major (empty when k = 0)
     * @param ridge the L2 penalty on the (standardised) slopes, per row: the penalty is {@code ridge * n}. It keeps
     *              the fit well posed when context columns are collinear (values and their deltas are).
     */
    public static GaussianDensity fit(float[] x, float[] c, int n, int d, int k, double ridge) {
        if (n < 2 || d < 1 || k < 0 || x.length != n * d || c.length != n * k) {
            throw new IllegalArgumentException("bad shapes: n=" + n + " d=" + d + " k=" + k + " |x|=" + x.length
                    + " |c|=" + c.length);
        }
        double[] mean = new double[k];
        double[] scale = new double[k];
        standardisation(c, n, k, mean, scale);

        int p = k + 1;
        double[] gram = new double[p * p];
        double[] rhs = new double[p * d];
        double[] row = new double[p];
        for (int r = 0; r < n; r++) {
            designRow(c, r, k, mean, scale, row);
            for (int i = 0; i < p; i++) {
                for (int j = 0; j <= i; j++) {
                    gram[i * p + j] += row[i] * row[j];
                }
                for (int t = 0; t < d; t++) {
                    rhs[i * d + t] += row[i] * x[r * d + t];
                }
            }
        }
        for (int i = 1; i < p; i++) {
            gram[i * p + i] += ridge * n;
        }
        // A tiny jitter on the intercept too, so a single-row degenerate design still factors.
        gram[0] += 1e-12 * n;
        Cholesky normal = Cholesky.of(gram, p);
        double[] coefficients = new double[p * d];
        double[] column = new double[p];
        for (int t = 0; t < d; t++) {
            for (int i = 0; i < p; i++) {
                column[i] = rhs[i * d + t];
            }
            double[] solution = normal.solve(column);
            for (int i = 0; i < p; i++) {
                coefficients[i * d + t] = solution[i];
            }
        }

        double[] sigma = new double[d * d];
        double[] residual = new double[d];
        double[] maxAbs = new double[d];
        for (int r = 0; r < n; r++) {
            designRow(c, r, k, mean, scale, row);
            for (int t = 0; t < d; t++) {
                double mu = 0;
                for (int i = 0; i < p; i++) {
                    mu += row[i] * coefficients[i * d + t];
                }
                residual[t] = x[r * d + t] - mu;
                maxAbs[t] = Math.max(maxAbs[t], Math.abs(x[r * d + t]));
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    sigma[a * d + b] += residual[a] * residual[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                sigma[a * d + b] /= n;
                sigma[b * d + a] = sigma[a * d + b];
            }
            // A variance floor: data are float32, so a residual below the float resolution of the values (a stuck
            // sensor, a perfectly predictable feature) is rounding, not information.
            double ulp = Math.ulp((float) maxAbs[a]);
            sigma[a * d + a] += Math.max(Math.max(1e-6 * sigma[a * d + a], ulp * ulp), 1e-12);
        }
        return new GaussianDensity(d, k, mean, scale, coefficients, Cholesky.of(sigma, d));
    }

    private static void standardisation(float[] c, int n, int k, double[] mean, double[] scale) {
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < k; j++) {
                mean[j] += c[r * k + j];
            }
        }
        for (int j = 0; j < k; j++) {
            mean[j] /= n;
        }
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < k; j++) {
                double deviation = c[r * k + j] - mean[j];
                scale[j] += deviation * deviation;
            }
        }
        for (int j = 0; j < k; j++) {
            double sd = Math.sqrt(scale[j] / n);
            // A constant column carries no information; the intercept already holds its effect.
            scale[j] = sd > 1e-12 * Math.max(1, Math.abs(mean[j])) ? sd : Double.POSITIVE_INFINITY;
        }
    }

    private static void designRow(float[] c, int r, int k, double[] mean, double[] scale, double[] row) {
        row[0] = 1;
        for (int j = 0; j < k; j++) {
            row[j + 1] = (c[r * k + j] - mean[j]) / scale[j];
        }
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int contextDimension() {
        return contextDimension;
    }

    /** The conditional mean E[x | c] of one context row, in the original units. */
    public double[] conditionalMean(float[] c, int row) {
        double[] design = new double[contextDimension + 1];
        designRow(c, row, contextDimension, contextMean, contextScale, design);
        double[] mu = new double[dimension];
        for (int t = 0; t < dimension; t++) {
            double sum = 0;
            for (int i = 0; i <= contextDimension; i++) {
                sum += design[i] * coefficients[i * dimension + t];
            }
            mu[t] = sum;
        }
        return mu;
    }

    /** Sigma[a][b], the residual covariance. */
    public double covariance(int a, int b) {
        double sum = 0;
        for (int k = 0; k <= Math.min(a, b); k++) {
            sum += covariance.lower(a, k) * covariance.lower(b, k);
        }
        return sum;
    }

    @Override
    public float[] logProb(float[] x, float[] c, int batch) {
        checkBatch(x.length, batch * dimension, "x");
        checkBatch(c.length, batch * contextDimension, "c");
        float[] out = new float[batch];
        double[] residual = new double[dimension];
        for (int r = 0; r < batch; r++) {
            double[] mu = conditionalMean(c, r);
            for (int t = 0; t < dimension; t++) {
                residual[t] = x[r * dimension + t] - mu[t];
            }
            covariance.solveLower(residual, residual);
            double squared = 0;
            for (double z : residual) {
                squared += z * z;
            }
            out[r] = (float) (logNormaliser - 0.5 * squared);
        }
        return out;
    }

    /** Exact: each marginal of a Gaussian is symmetric about its mean, so the conditional mean is the median. */
    @Override
    public Optional<float[]> exactMedians(float[] c, int batch) {
        checkBatch(c.length, batch * contextDimension, "c");
        float[] out = new float[batch * dimension];
        for (int r = 0; r < batch; r++) {
            double[] mu = conditionalMean(c, r);
            for (int t = 0; t < dimension; t++) {
                out[r * dimension + t] = (float) mu[t];
            }
        }
        return Optional.of(out);
    }

    @Override
    public float[] sample(float[] c, int batch, int n, long seed) {
        checkBatch(c.length, batch * contextDimension, "c");
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[batch * n * dimension];
        double[] z = new double[dimension];
        double[] coloured = new double[dimension];
        for (int r = 0; r < batch; r++) {
            double[] mu = conditionalMean(c, r);
            for (int s = 0; s < n; s++) {
                for (int t = 0; t < dimension; t++) {
                    z[t] = random.nextGaussian();
                }
                covariance.multiplyLower(z, coloured);
                int base = (r * n + s) * dimension;
                for (int t = 0; t < dimension; t++) {
                    out[base + t] = (float) (mu[t] + coloured[t]);
                }
            }
        }
        return out;
    }

    private static void checkBatch(int actual, int expected, String name) {
        if (actual != expected) {
            throw new IllegalArgumentException(name + " has " + actual + " values, expected " + expected);
        }
    }
}
