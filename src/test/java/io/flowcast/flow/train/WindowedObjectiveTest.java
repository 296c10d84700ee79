package io.flowcast.flow.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.FlowConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The objective interface carries what a dependent-data objective needs: whole time-ordered windows per batch,
 * their metadata, and parameters of its own learned with the flow. An AR(1) objective written against it recovers
 * the true coefficient ({@link Ar1Objective}; the other objectives in {@link DependenceRecoveryTest}).
 */
class WindowedObjectiveTest {

    @Test
    void batchesHoldWholeTimeOrderedWindows() {
        // 3 windows given out of order, one longer than the batch.
        float[] x = new float[9 * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        long[] ids = {7, 3, 7, 3, 9, 9, 9, 9, 9};
        long[] times = {20, 5, 10, 1, 5, 4, 3, 2, 1};
        TrainingData data = TrainingData.windowed(2, 0, x, null, ids, times);
        WindowIndex index = new WindowIndex(data);
        assertEquals(3, index.windowCount());
        List<int[]> batches = index.pack(new int[] {0, 1, 2}, 4);
        assertEquals(2, batches.size(), "windows 3 and 7 share a batch; window 9 (5 rows) is alone");
        WindowIndex.Batch first = index.batch(batches.get(0));
        assertArrayEquals(new long[] {3, 3, 7, 7}, first.metadata().windowIds());
        assertArrayEquals(new long[] {1, 5, 10, 20}, first.metadata().timestamps());
        assertArrayEquals(new int[] {0, 2, 4}, first.metadata().windowStarts());
        assertArrayEquals(new float[] {0, 1, 0, 1}, first.metadata().hasPredecessorMask());
        assertArrayEquals(new float[] {6, 7, 2, 3, 4, 5, 0, 1}, first.x());
        WindowIndex.Batch second = index.batch(batches.get(1));
        assertArrayEquals(new long[] {1, 2, 3, 4, 5}, second.metadata().timestamps());
    }

    @Test
    @Tag("slow")
    void anAr1ObjectiveLearnsTheTrueCoefficient() {
        double rho = 0.7;
        int windows = 150;
        int length = 40;
        SplittableRandom random = new SplittableRandom(12);
        float[] x = new float[windows * length * 2];
        long[] ids = new long[windows * length];
        long[] times = new long[windows * length];
        List<Integer> rows = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            double[] z = {random.nextGaussian(), random.nextGaussian()};
            for (int t = 0; t < length; t++) {
                int row = w * length + t;
                if (t > 0) {
                    for (int j = 0; j < 2; j++) {
                        z[j] = rho * z[j] + Math.sqrt(1 - rho * rho) * random.nextGaussian();
                    }
                }
                // A known invertible map away from the code space.
                x[2 * row] = (float) (5 + 3 * z[0]);
                x[2 * row + 1] = (float) (-1 + 0.5 * z[1] + 0.2 * z[0]);
                ids[row] = w;
                times[row] = 1000L * t;
                rows.add(row);
            }
        }
        TrainingData data = TrainingData.windowed(2, 0, x, null, ids, times);
        FlowConfig flow = FlowConfig.builder(2, 0).couplings(2).hiddenWidth(16).bins(6).build();
        TrainerConfig trainer = TrainerConfig.builder().batchSize(400).maxEpochs(40).patience(10).learningRate(1e-2)
                .warmupSteps(10).build();
        TrainingResult result = new FlowTrainer(trainer).train(flow, data, new Ar1Objective(2));
        assertEquals(result.report().dependence().get("rho"), Math.tanh(result.objectiveParameters()
                .values(Ar1Objective.RHO_RAW)[0]), 1e-6);
        double learned = Math.tanh(result.objectiveParameters().values(Ar1Objective.RHO_RAW)[0]);
        assertEquals(rho, learned, 0.05, "learned rho");
        assertEquals("ar1", result.report().objective());
        TrainingResult iid = new FlowTrainer(trainer).train(flow, data);
        assertTrue(result.report().bestValidationLoss() < iid.report().bestValidationLoss() - 0.2,
                "the dependent objective explains the data better: " + result.report().bestValidationLoss() + " vs "
                        + iid.report().bestValidationLoss());
    }
}
