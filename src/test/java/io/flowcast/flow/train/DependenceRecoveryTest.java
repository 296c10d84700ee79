package io.flowcast.flow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.LatentDependence;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Data simulated from a known dependence (Ornstein-Uhlenbeck over irregular gaps; a random effect shared by each
 * group), pushed through a known invertible map: the parameter learned with the flow recovers the truth, and the
 * dependent model explains held-out windows better than the i.i.d. one.
 */
@Tag("slow")
class DependenceRecoveryTest {

    private static final FlowConfig FLOW = FlowConfig.builder(2, 0).couplings(2).hiddenWidth(16).bins(6).build();
    private static final TrainerConfig TRAINER = TrainerConfig.builder().batchSize(400).maxEpochs(30).patience(6)
            .learningRate(1e-2).warmupSteps(10).build();

    /** A known invertible (triangular) map from codes to observations, away from the identity. */
    private static void observe(double[] z, float[] x, int row) {
        x[2 * row] = (float) (4 + 3 * z[0] + Math.sin(z[1]));
        x[2 * row + 1] = (float) (-1 + 0.5 * z[1]);
    }

    @Test
    void ornsteinUhlenbeckRecoversTau() {
        double tau = 5.0;
        int windows = 150;
        int length = 30;
        SplittableRandom random = new SplittableRandom(21);
        float[] x = new float[windows * length * 2];
        long[] ids = new long[windows * length];
        long[] times = new long[windows * length];
        for (int w = 0; w < windows; w++) {
            double[] z = {random.nextGaussian(), random.nextGaussian()};
            long time = 1_700_000_000_000L;
            for (int t = 0; t < length; t++) {
                int row = w * length + t;
                if (t > 0) {
                    long gap = (long) (-Math.log(1 - random.nextDouble()) * 2000); // mean 2 s
                    time += gap;
                    double rho = Math.exp(-gap / 1000.0 / tau);
                    for (int j = 0; j < 2; j++) {
                        z[j] = rho * z[j] + Math.sqrt(1 - rho * rho) * random.nextGaussian();
                    }
                }
                observe(z, x, row);
                ids[row] = w;
                times[row] = time;
            }
        }
        TrainingData data = TrainingData.windowed(2, 0, x, null, ids, times);
        OrnsteinUhlenbeckObjective objective = new OrnsteinUhlenbeckObjective(2, 2.0);
        TrainingResult result = new FlowTrainer(TRAINER).train(FLOW, data, objective);
        double fitted = objective.tauSeconds(result.objectiveParameters());
        // The correlation at the mean gap (2 s) is what the data pin down.
        assertEquals(Math.exp(-2 / tau), Math.exp(-2 / fitted), 0.05, "fitted tau " + fitted);
        assertEquals("ou", result.report().dependenceKind());
        assertEquals(fitted, result.report().dependence().get("tau_seconds"), 1e-9);
        TrainingResult iid = new FlowTrainer(TRAINER).train(FLOW, data);
        assertTrue(result.report().bestValidationLoss() < iid.report().bestValidationLoss() - 0.1,
                "held-out NLL " + result.report().bestValidationLoss() + " vs i.i.d. "
                        + iid.report().bestValidationLoss());
    }

    @Test
    void compoundSymmetryRecoversTheSharedFraction() {
        double a = 0.6;
        int groups = 200;
        int size = 10;
        SplittableRandom random = new SplittableRandom(22);
        float[] x = new float[groups * size * 2];
        long[] ids = new long[groups * size];
        long[] times = new long[groups * size];
        for (int g = 0; g < groups; g++) {
            double[] effect = {Math.sqrt(a) * random.nextGaussian(), Math.sqrt(a) * random.nextGaussian()};
            for (int i = 0; i < size; i++) {
                int row = g * size + i;
                double[] z = new double[2];
                for (int j = 0; j < 2; j++) {
                    z[j] = effect[j] + Math.sqrt(1 - a) * random.nextGaussian();
                }
                observe(z, x, row);
                ids[row] = g;
                times[row] = i;
            }
        }
        TrainingData data = TrainingData.windowed(2, 0, x, null, ids, times);
        CompoundSymmetryObjective objective = new CompoundSymmetryObjective(2);
        TrainingResult result = new FlowTrainer(TRAINER).train(FLOW, data, objective);
        LatentDependence fitted = objective.dependence(result.objectiveParameters());
        assertEquals(a, fitted.parameters().get("a"), 0.05, fitted.toString());
        TrainingResult iid = new FlowTrainer(TRAINER).train(FLOW, data);
        assertTrue(result.report().bestValidationLoss() < iid.report().bestValidationLoss() - 0.1,
                "held-out NLL " + result.report().bestValidationLoss() + " vs i.i.d. "
                        + iid.report().bestValidationLoss());
    }
}
