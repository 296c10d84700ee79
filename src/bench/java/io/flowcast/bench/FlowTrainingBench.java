package io.flowcast.bench;

import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.train.FlowTrainer;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.flow.train.TrainingData;
import io.flowcast.flow.train.TrainingReport;
import io.flowcast.flow.train.TrainingResult;
import java.util.SplittableRandom;

/**
 * Training speed: 100k synthetic records with d = 8, k = 32 and real structure, trained with the default flow
 * (4 spline couplings, hidden 64 x 2, 8 bins) until early stopping. Called by the {@code flow} benchmark.
 *
 * <p>One PyTorch intra-op thread (override with {@code -Dbench.trainThreads=N}): measured here, two threads gave
 * the same wall time (72 vs 74 s) for twice the CPU, since the per-op overhead, not arithmetic, dominates at these
 * tensor sizes. The result is the same bit for bit either way.
 */
public final class FlowTrainingBench {

    static final int RECORDS = 100_000;
    static final int D = 8;
    static final int K = 32;

    private FlowTrainingBench() {
    }

    /** Wall seconds from raw records to the trained (best) parameters. */
    public static double secondsToTrain100kD8K32() {
        TrainingData data = syntheticData(RECORDS, 7);
        FlowConfig flow = FlowConfig.defaults(D, K);
        TrainerConfig trainer = TrainerConfig.builder().batchSize(1024).learningRate(5e-3).warmupSteps(50)
                .maxEpochs(40).patience(3).minImprovement(2e-3).threads(Integer.getInteger("bench.trainThreads", 1)).seed(1)
                .build();
        long start = System.nanoTime();
        TrainingResult result = new FlowTrainer(trainer).train(flow, data);
        double seconds = (System.nanoTime() - start) / 1e9;
        TrainingReport report = result.report();
        System.out.printf("training d=%d k=%d on %d records: %d epochs (best %d, validation NLL %.4f), %s, %.1f s"
                + " (%.2f s per epoch)%n", D, K, RECORDS, report.epochs().size(), report.bestEpoch(),
                report.bestValidationLoss(), report.stopReason(), seconds, seconds / report.epochs().size());
        return seconds;
    }

    /**
     * Context: 32 correlated features (4 latent factors plus noise). x: a context-dependent location, a
     * context-dependent scale on some dimensions, a nonlinear dependence between dimensions, and heavy-tailed
     * noise on one of them: no single affine map or Gaussian explains it.
     */
    static TrainingData syntheticData(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] loadings = new double[K][4];
        double[][] mixing = new double[D][4];
        for (double[] row : loadings) {
            for (int j = 0; j < 4; j++) {
                row[j] = random.nextGaussian();
            }
        }
        for (double[] row : mixing) {
            for (int j = 0; j < 4; j++) {
                row[j] = random.nextGaussian() * 0.7;
            }
        }
        float[] x = new float[n * D];
        float[] c = new float[n * K];
        double[] factors = new double[4];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                factors[j] = random.nextGaussian();
            }
            for (int j = 0; j < K; j++) {
                double value = 0.3 * random.nextGaussian();
                for (int f = 0; f < 4; f++) {
                    value += loadings[j][f] * factors[f];
                }
                c[i * K + j] = (float) value;
            }
            double scale = Math.exp(0.5 * Math.tanh(factors[0]));
            double previous = 0;
            for (int j = 0; j < D; j++) {
                double location = 0;
                for (int f = 0; f < 4; f++) {
                    location += mixing[j][f] * factors[f];
                }
                double noise = j == D - 1
                        ? random.nextGaussian() / Math.sqrt(gammaShape2(random) / 2) // Student-t, 4 dof
                        : random.nextGaussian();
                double value = location + (j % 2 == 0 ? scale : 1) * noise + 0.5 * Math.sin(2 * previous);
                x[i * D + j] = (float) value;
                previous = value;
            }
        }
        return TrainingData.iid(D, K, x, c);
    }

    /** Gamma(2, 1) as a sum of two exponentials (chi-square with 4 dof is 2 * Gamma(2)). */
    private static double gammaShape2(SplittableRandom random) {
        return -Math.log(1 - random.nextDouble()) - Math.log(1 - random.nextDouble());
    }

    public static void main(String[] args) {
        secondsToTrain100kD8K32();
    }
}
