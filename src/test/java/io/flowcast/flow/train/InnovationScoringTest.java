package io.flowcast.flow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.Innovation;
import io.flowcast.flow.InnovationDensity;
import io.flowcast.flow.LatentDependence;
import io.flowcast.flow.LatentDependenceTest;
import io.flowcast.flow.LatentState;
import io.flowcast.flow.math.Cholesky;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The innovation score of a record given its entity's past equals the dense conditional Gaussian of its code given
 * all earlier codes (Schur complement of the full Sigma) plus the flow's own log-determinant, for a real (randomly
 * initialised, non-trivial) spline flow.
 */
class InnovationScoringTest {

    private static final int D = 2;
    private static final int N = 8;

    /** A random flow, read through InnovationDensity with a given dependence. */
    private static InnovationDensity density(TrainedFlow flow, LatentDependence dependence) {
        return new InnovationDensity() {
            @Override
            public LatentDependence dependence() {
                return dependence;
            }

            @Override
            public float[] codes(float[] x, float[] c, int batch) {
                return flow.encode(x, c, batch);
            }

            @Override
            public int dimension() {
                return flow.dimension();
            }

            @Override
            public int contextDimension() {
                return flow.contextDimension();
            }

            @Override
            public float[] logProb(float[] x, float[] c, int batch) {
                return flow.logProb(x, c, batch);
            }

            @Override
            public float[] sample(float[] c, int batch, int n, long seed) {
                return flow.sample(c, batch, n, seed);
            }
        };
    }

    /** log N(z_last; mu, v I) from the dense covariance of all n codes (conditional on the first n - 1). */
    private static double denseConditional(double[] sigma, int n, double[] z) {
        int p = n - 1;
        double[] past = new double[p * p];
        double[] cross = new double[p];
        for (int i = 0; i < p; i++) {
            cross[i] = sigma[p * n + i];
            for (int j = 0; j < p; j++) {
                past[i * p + j] = sigma[i * n + j];
            }
        }
        double variance = sigma[p * n + p];
        double[] weights = new double[0];
        if (p > 0) {
            Cholesky cholesky = Cholesky.of(past, p);
            weights = cholesky.solve(cross);
            for (int i = 0; i < p; i++) {
                variance -= weights[i] * cross[i];
            }
        }
        double sum = 0;
        for (int j = 0; j < D; j++) {
            double mean = 0;
            for (int i = 0; i < p; i++) {
                mean += weights[i] * z[i * D + j];
            }
            double r = z[p * D + j] - mean;
            sum += -0.5 * (r * r / variance + Math.log(2 * Math.PI * variance));
        }
        return sum;
    }

    private static double[] sigma(LatentDependence dependence, long[] times) {
        double[] sigma = new double[N * N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                sigma[i * N + j] = covariance(dependence, times, i, j);
            }
        }
        return sigma;
    }

    private static double covariance(LatentDependence dependence, long[] times, int i, int j) {
        if (dependence instanceof LatentDependence.Ar1 ar1) {
            return Math.pow(ar1.rho(), Math.abs(i - j));
        }
        if (dependence instanceof LatentDependence.OrnsteinUhlenbeck ou) {
            double c = 1;
            for (int t = Math.min(i, j) + 1; t <= Math.max(i, j); t++) {
                c *= ou.correlation(times[t - 1], times[t]);
            }
            return c;
        }
        if (dependence instanceof LatentDependence.CompoundSymmetry cs) {
            return i == j ? 1 : cs.a();
        }
        return i == j ? 1 : 0;
    }

    @Test
    void innovationsMatchTheDenseConditionalPlusTheFlowsLogDeterminant() {
        FlowConfig config = FlowConfig.builder(D, 0).couplings(2).hiddenWidth(8).bins(5).seed(3).build();
        ConditionalFlow conditionalFlow = new ConditionalFlow(config);
        // Non-zero last layers, so the spline flow is far from the identity.
        FlowParameters parameters = FlowParameters.initialize(conditionalFlow.parameters(), 3);
        SplittableRandom random = new SplittableRandom(5);
        for (String name : parameters.names()) {
            if (parameters.trainable(name)) {
                float[] values = parameters.values(name);
                for (int i = 0; i < values.length; i++) {
                    values[i] += (float) (0.3 * random.nextGaussian());
                }
                parameters = parameters.with(name, values);
            }
        }
        float[] x = new float[N * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        long[] times = LatentDependenceTest.irregularTimes(9, N);
        double[] logDet = new double[N];
        try (TrainedFlow flow = new TrainedFlow(config, parameters); NDManager manager = NDManager.newBaseManager()) {
            DjlOps ops = new DjlOps(manager, DjlParameters.toArrays(manager, parameters, DataType.FLOAT32, false));
            NDArray dets = conditionalFlow.forward(ops, manager.create(x, new Shape(N, D)), null).logDet();
            float[] values = dets.toFloatArray();
            for (int i = 0; i < N; i++) {
                logDet[i] = values[i];
            }
            float[] codes = flow.encode(x, new float[0], N);
            double[] z = new double[N * D];
            for (int i = 0; i < z.length; i++) {
                z[i] = codes[i];
            }
            for (LatentDependence dependence : List.of(LatentDependence.independent(), new LatentDependence.Ar1(0.7),
                    new LatentDependence.OrnsteinUhlenbeck(3.0), new LatentDependence.CompoundSymmetry(0.45))) {
                InnovationDensity density = density(flow, dependence);
                double[] sigma = sigma(dependence, times);
                LatentState state = LatentState.empty();
                double total = 0;
                for (int t = 0; t < N; t++) {
                    Innovation innovation = density.innovations(Arrays.copyOfRange(x, t * D, (t + 1) * D),
                            new float[0], 1, new LatentState[] {state}, new long[] {times[t]})[0];
                    double[] prefix = new double[(t + 1) * (t + 1)];
                    for (int i = 0; i <= t; i++) {
                        for (int j = 0; j <= t; j++) {
                            prefix[i * (t + 1) + j] = sigma[i * N + j];
                        }
                    }
                    double expected = denseConditional(prefix, t + 1, Arrays.copyOf(z, (t + 1) * D)) + logDet[t];
                    assertEquals(expected, innovation.logDensity(), 2e-4,
                            dependence.kind() + " record " + t);
                    assertTrue(innovation.standardisedResidualSquared() >= 0);
                    total += innovation.logDensity();
                    state = innovation.next();
                }
                // chain rule: the innovations of a series add up to its joint log-likelihood
                double joint = dependence.jointLogDensity(z, N, D, times) + Arrays.stream(logDet).sum();
                assertEquals(joint, total, 1e-3, dependence.kind());
            }
        }
    }
}
