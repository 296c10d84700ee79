package io.flowcast.flow.quality;

import java.util.SplittableRandom;

/** A 2-D (optionally conditional) distribution we can sample and whose log-density we can evaluate. */
interface KnownDensity {

    int contextDimension();

    /** Draws one record: x[0..1], and c[0..k) when k > 0. */
    void sample(SplittableRandom random, float[] x, float[] c);

    /** log p(x | c), accurate to well below the 0.05 nats the quality tests allow. */
    double logDensity(double x0, double x1, float[] c);

    static double logNormal(double value, double mean, double sd) {
        double u = (value - mean) / sd;
        return -0.5 * u * u - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);
    }

    /** log(sum(exp(terms))) without overflow. */
    static double logSumExp(double[] terms, int count) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, terms[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += Math.exp(terms[i] - max);
        }
        return max + Math.log(sum);
    }

    /** Two interleaved half circles (scikit-learn's make_moons) blurred by isotropic noise. */
    final class TwoMoons implements KnownDensity {
        private static final int NODES = 720;
        private final double noise;

        TwoMoons(double noise) {
            this.noise = noise;
        }

        @Override
        public int contextDimension() {
            return 0;
        }

        @Override
        public void sample(SplittableRandom random, float[] x, float[] c) {
            double t = random.nextDouble() * Math.PI;
            boolean upper = random.nextBoolean();
            double cx = upper ? Math.cos(t) : 1 - Math.cos(t);
            double cy = upper ? Math.sin(t) : 0.5 - Math.sin(t);
            x[0] = (float) (cx + noise * random.nextGaussian());
            x[1] = (float) (cy + noise * random.nextGaussian());
        }

        /** The noise convolved with the uniform arc: a midpoint rule over the angle, far finer than the noise. */
        @Override
        public double logDensity(double x0, double x1, float[] c) {
            double[] terms = new double[2 * NODES];
            for (int i = 0; i < NODES; i++) {
                double t = (i + 0.5) * Math.PI / NODES;
                terms[2 * i] = logNormal(x0, Math.cos(t), noise) + logNormal(x1, Math.sin(t), noise);
                terms[2 * i + 1] = logNormal(x0, 1 - Math.cos(t), noise) + logNormal(x1, 0.5 - Math.sin(t), noise);
            }
            return logSumExp(terms, terms.length) - Math.log(2.0 * NODES);
        }
    }

    /** Concentric circles, mass proportional to circumference, blurred by isotropic noise. */
    final class Rings implements KnownDensity {
        private static final int NODES = 720;
        private final double[] radii;
        private final double noise;
        private final double totalRadius;

        Rings(double noise, double... radii) {
            this.radii = radii.clone();
            this.noise = noise;
            double sum = 0;
            for (double r : radii) {
                sum += r;
            }
            this.totalRadius = sum;
        }

        @Override
        public int contextDimension() {
            return 0;
        }

        @Override
        public void sample(SplittableRandom random, float[] x, float[] c) {
            double u = random.nextDouble() * totalRadius;
            int ring = 0;
            while (ring < radii.length - 1 && u > radii[ring]) {
                u -= radii[ring];
                ring++;
            }
            double t = random.nextDouble() * 2 * Math.PI;
            x[0] = (float) (radii[ring] * Math.cos(t) + noise * random.nextGaussian());
            x[1] = (float) (radii[ring] * Math.sin(t) + noise * random.nextGaussian());
        }

        @Override
        public double logDensity(double x0, double x1, float[] c) {
            double[] terms = new double[radii.length * NODES];
            int n = 0;
            for (double r : radii) {
                double logWeight = Math.log(r / totalRadius / NODES);
                for (int i = 0; i < NODES; i++) {
                    double t = (i + 0.5) * 2 * Math.PI / NODES;
                    terms[n++] = logWeight + logNormal(x0, r * Math.cos(t), noise) + logNormal(x1, r * Math.sin(t), noise);
                }
            }
            return logSumExp(terms, n);
        }
    }

    /** Uniform on the dark squares of a 4 x 4 board on [-2, 2]^2, blurred by isotropic noise (exact via erf). */
    final class Checkerboard implements KnownDensity {
        private final double noise;

        Checkerboard(double noise) {
            this.noise = noise;
        }

        @Override
        public int contextDimension() {
            return 0;
        }

        @Override
        public void sample(SplittableRandom random, float[] x, float[] c) {
            int square = random.nextInt(8);
            int row = square / 2;
            int col = 2 * (square % 2) + (row % 2);
            x[0] = (float) (-2 + col + random.nextDouble() + noise * random.nextGaussian());
            x[1] = (float) (-2 + row + random.nextDouble() + noise * random.nextGaussian());
        }

        /** Per square: (1/8) * P(square's x-interval contains x0 - e) * P(... x1 - e), e ~ N(0, noise^2). */
        @Override
        public double logDensity(double x0, double x1, float[] c) {
            double density = 0;
            for (int row = 0; row < 4; row++) {
                for (int col = row % 2; col < 4; col += 2) {
                    density += interval(x0, -2 + col) * interval(x1, -2 + row);
                }
            }
            return Math.log(density / 8);
        }

        private double interval(double value, double left) {
            return Erf.normalCdf((value - left) / noise) - Erf.normalCdf((value - left - 1) / noise);
        }
    }

    /**
     * A conditional two-component Gaussian mixture: c ~ U(-2, 2); weights, means and correlation move with c. The
     * log-density is exact.
     */
    final class ConditionalMixture implements KnownDensity {

        @Override
        public int contextDimension() {
            return 1;
        }

        private static double weight(double c) {
            return 1 / (1 + Math.exp(-1.5 * c));
        }

        @Override
        public void sample(SplittableRandom random, float[] x, float[] c) {
            double context = random.nextDouble() * 4 - 2;
            c[0] = (float) context;
            boolean first = random.nextDouble() < weight(context);
            double e0 = random.nextGaussian();
            double e1 = random.nextGaussian();
            if (first) {
                x[0] = (float) (context + 0.4 * e0);
                x[1] = (float) (1 + 0.5 * context * e0 + 0.3 * e1);
            } else {
                x[0] = (float) (-context + 0.3 * e0);
                x[1] = (float) (-1 + 0.6 * e1);
            }
        }

        /** First component: x0 ~ N(c, 0.4^2), x1 | x0 ~ N(1 + 0.5 c (x0 - c) / 0.4, 0.3^2). */
        @Override
        public double logDensity(double x0, double x1, float[] context) {
            double c = context[0];
            double w = weight(c);
            double first = Math.log(w) + logNormal(x0, c, 0.4) + logNormal(x1, 1 + 0.5 * c * (x0 - c) / 0.4, 0.3);
            double second = Math.log(1 - w) + logNormal(x0, -c, 0.3) + logNormal(x1, -1, 0.6);
            return logSumExp(new double[] {first, second}, 2);
        }
    }
}
