package io.flowcast.bench.nab;

/**
 * The standard normal upper tail Q(z) = P(Z > z) = erfc(z / sqrt 2) / 2 for z >= 0, to about 1e-15 absolute:
 * a Taylor series of erf below z = 3 (where Q is not tiny, so absolute accuracy is what matters), a continued
 * fraction for erfc above (where it converges fast and keeps relative accuracy deep into the tail).
 */
final class GaussianTail {

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private GaussianTail() {
    }

    static double upper(double z) {
        if (Double.isNaN(z)) {
            return 0.5;
        }
        if (z < 0) {
            return 1.0 - upper(-z);
        }
        double x = z / Math.sqrt(2.0);
        return x < 2.1 ? 0.5 * (1.0 - erfSeries(x)) : 0.5 * erfcContinuedFraction(x);
    }

    /** erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)). */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= -x2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /** erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), by modified Lentz. */
    private static double erfcContinuedFraction(double x) {
        if (x > 27.0) {
            return 0.0;
        }
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0.0;
        for (int n = 1; n < 500; n++) {
            double a = n / 2.0;
            d = x + a * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }
}
