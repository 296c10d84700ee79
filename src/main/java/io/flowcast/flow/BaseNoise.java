package io.flowcast.flow;

import java.util.SplittableRandom;

/**
 * Draws base noise z for sampling (the inverse pass turns it into x). Lives outside any graph so that training
 * (DJL) and serving (ONNX Runtime) draw the same numbers from the same seed: standard normal, or per-dimension
 * Student-t as normal / sqrt(chi2(df) / df) with chi2(df) = 2 Gamma(df/2).
 */
public final class BaseNoise {

    private final BaseKind kind;
    private final double[] degreesOfFreedom;
    private final int dimension;

    private BaseNoise(BaseKind kind, int dimension, double[] degreesOfFreedom) {
        this.kind = kind;
        this.dimension = dimension;
        this.degreesOfFreedom = degreesOfFreedom;
    }

    public static BaseNoise gaussian(int dimension) {
        return new BaseNoise(BaseKind.GAUSSIAN, dimension, null);
    }

    public static BaseNoise studentT(double[] degreesOfFreedom) {
        for (double df : degreesOfFreedom) {
            if (!(df > 0) || Double.isInfinite(df)) {
                throw new IllegalArgumentException("degrees of freedom must be positive and finite: " + df);
            }
        }
        return new BaseNoise(BaseKind.STUDENT_T, degreesOfFreedom.length, degreesOfFreedom.clone());
    }

    /** The base of a trained model: its Student-t degrees of freedom are read from the parameters. */
    public static BaseNoise forModel(FlowConfig config, FlowParameters parameters) {
        if (config.base() == BaseKind.GAUSSIAN) {
            return gaussian(config.dimension());
        }
        return studentT(degreesOfFreedom(parameters));
    }

    /** The degrees of freedom exactly as {@link ConditionalFlow#degreesOfFreedom} computes them in the graph. */
    public static double[] degreesOfFreedom(FlowParameters parameters) {
        float[] raw = parameters.values(ConditionalFlow.DF_RAW);
        double[] df = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            df[i] = ConditionalFlow.degreesOfFreedom(raw[i]);
        }
        return df;
    }

    public int dimension() {
        return dimension;
    }

    /** rows x d values, row-major; the same seed gives the same values. */
    public float[] draw(int rows, long seed) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be non-negative: " + rows);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] noise = new float[Math.multiplyExact(rows, dimension)];
        for (int i = 0; i < noise.length; i++) {
            double normal = gaussian(random);
            if (kind == BaseKind.STUDENT_T) {
                double df = degreesOfFreedom[i % dimension];
                double chiSquare = 2 * gamma(df / 2, random);
                normal /= Math.sqrt(chiSquare / df);
            }
            noise[i] = (float) normal;
        }
        return noise;
    }

    /** Marsaglia's polar method: exact normals from uniforms, independent of java.util.Random's cached state. */
    public static double gaussian(SplittableRandom random) {
        while (true) {
            double u = 2 * random.nextDouble() - 1;
            double v = 2 * random.nextDouble() - 1;
            double s = u * u + v * v;
            if (s > 0 && s < 1) {
                return u * Math.sqrt(-2 * Math.log(s) / s);
            }
        }
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (2000); shapes below 1 by the boost Gamma(a) = Gamma(a+1) U^(1/a). */
    static double gamma(double shape, SplittableRandom random) {
        if (shape < 1) {
            double u = random.nextDouble();
            while (u == 0) {
                u = random.nextDouble();
            }
            return gamma(shape + 1, random) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = gaussian(random);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
