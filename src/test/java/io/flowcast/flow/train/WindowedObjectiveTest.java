package io.flowcast.flow.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.Initializer;
import io.flowcast.flow.ParameterSpec;
import io.flowcast.flow.math.TensorOps;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The objective interface carries what a dependent-data objective needs: whole time-ordered windows per batch,
 * their metadata, and parameters of its own learned with the flow. An AR(1) objective written against it recovers
 * the true coefficient.
 */
class WindowedObjectiveTest {

    /** Gaussian AR(1) across each window's codes, rho = tanh(raw), as in shared/DEPENDENT-DATA.md. */
    static final class Ar1Objective implements TrainingObjective {
        static final String RHO_RAW = "objective.rhoRaw";
        private final int d;

        Ar1Objective(int dimension) {
            this.d = dimension;
        }

        @Override
        public String name() {
            return "ar1";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(new ParameterSpec(RHO_RAW, new long[] {1}, true, Initializer.zeros()));
        }

        @Override
        public <T> T loss(TensorOps<T> ops, T z, T logDet, UnaryOperator<T> baseLogProb, BatchMetadata batch) {
            int n = batch.size();
            T rho = ops.tanh(ops.parameter(RHO_RAW));
            T oneMinusRhoSquared = ops.sub(ops.scalar(1f), ops.square(rho));
            // Previous row's code (a zero row first); only used where the predecessor is in the same window.
            T zeroRow = ops.mul(ops.slice(z, 0, 0, 1), ops.scalar(0f));
            T previous = ops.concat(List.of(zeroRow, ops.slice(z, 0, 0, n - 1L)), 0);
            T hasPrevious = ops.constant(batch.hasPredecessorMask(), n);
            T innovation = ops.sub(z, ops.mul(previous, rho));
            T conditional = ops.sub(
                    ops.mul(ops.div(ops.sum(ops.square(innovation), 1, false), oneMinusRhoSquared), ops.scalar(-0.5f)),
                    ops.mul(ops.log(oneMinusRhoSquared), ops.scalar(0.5f * d)));
            conditional = ops.sub(conditional, ops.scalar((float) (0.5 * d * Math.log(2 * Math.PI))));
            T first = baseLogProb.apply(z);
            T perRow = ops.add(ops.mul(hasPrevious, conditional),
                    ops.mul(ops.sub(ops.scalar(1f), hasPrevious), first));
            return ops.mul(ops.sum(ops.add(perRow, logDet), 0, false), ops.scalar(-1f / n));
        }
    }

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
        double learned = Math.tanh(result.objectiveParameters().values(Ar1Objective.RHO_RAW)[0]);
        assertEquals(rho, learned, 0.05, "learned rho");
        assertEquals("ar1", result.report().objective());
        TrainingResult iid = new FlowTrainer(trainer).train(flow, data);
        assertTrue(result.report().bestValidationLoss() < iid.report().bestValidationLoss() - 0.2,
                "the dependent objective explains the data better: " + result.report().bestValidationLoss() + " vs "
                        + iid.report().bestValidationLoss());
    }
}
