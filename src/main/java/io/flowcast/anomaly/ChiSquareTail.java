package io.flowcast.anomaly;

/**
 * P(X >= x) for X chi-square with {@code d} degrees of freedom: the regularized upper incomplete gamma function
 * Q(d/2, x/2), by its power series below a + 1 and its continued fraction (modified Lentz) above, in double
 * precision. It is the model's own tail of a standardised innovation residual |r|^2 (chi-square with d degrees of
 * freedom when the model is right), not a calibration against held-out records.
 */
public final class ChiSquareTail {

    private static final int MAX_ITERATIONS = 500;
    private static final double EPSILON = 1e-15;
    private static final double TINY = 1e-300;
    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
        771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};

    private ChiSquareTail() {
    }

    /** Q(d/2, x/2); 1 for x <= 0 or NaN (no evidence of anything). */
    public static double survival(double x, int d) {
        if (d < 1) {
            throw new IllegalArgumentException("degrees of freedom must be positive: " + d);
        }
        if (!(x > 0)) {
            return 1.0;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return 0.0;
        }
        double a = d / 2.0;
        double half = x / 2.0;
        return half < a + 1 ? 1.0 - lowerSeries(a, half) : upperFraction(a, half);
    }

    /** P(a, x) = x^a e^-x / Gamma(a) * sum x^n / (a (a+1) ... (a+n)). */
    private static double lowerSeries(double a, double x) {
        double term = 1.0 / a;
        double sum = term;
        for (int n = 1; n < MAX_ITERATIONS; n++) {
            term *= x / (a + n);
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * EPSILON) {
                break;
            }
        }
        return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }

    /** Q(a, x) = x^a e^-x / Gamma(a) * 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - ...)). */
    private static double upperFraction(double a, double x) {
        double b = x + 1 - a;
        double c = 1 / TINY;
        double dd = 1 / b;
        double h = dd;
        for (int i = 1; i < MAX_ITERATIONS; i++) {
            double an = -i * (i - a);
            b += 2;
            dd = an * dd + b;
            if (Math.abs(dd) < TINY) {
                dd = TINY;
            }
            c = b + an / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            dd = 1 / dd;
            double delta = dd * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPSILON) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /** log Gamma(a) for a > 0 (Lanczos, g = 7, about 15 significant digits). */
    static double logGamma(double a) {
        if (a < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * a))) - logGamma(1 - a);
        }
        double z = a - 1;
        double sum = LANCZOS[0];
        double t = z + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
