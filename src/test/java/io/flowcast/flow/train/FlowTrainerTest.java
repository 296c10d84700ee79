package io.flowcast.flow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FlowTrainerTest {

    /** x = (c + e1, 0.5 x1 + e2) * scale, scale far from 1 so the scaler matters. */
    static TrainingData linearGaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[2 * n];
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            double context = random.nextGaussian();
            double x1 = context + random.nextGaussian() * 0.5;
            double x2 = 0.5 * x1 + random.nextGaussian() * 0.3;
            c[i] = (float) context;
            x[2 * i] = (float) (100 + 20 * x1);
            x[2 * i + 1] = (float) (-3 + 0.01 * x2);
        }
        return TrainingData.iid(2, 1, x, c);
    }

    private static final FlowConfig SMALL = FlowConfig.builder(2, 1).couplings(2).hiddenWidth(16).bins(6).build();
    private static final TrainerConfig QUICK = TrainerConfig.builder().batchSize(128).maxEpochs(4).warmupSteps(10)
            .learningRate(5e-3).build();

    @Test
    void sameSeedGivesBitIdenticalParameters() {
        TrainingData data = linearGaussian(1500, 3);
        TrainingResult first = new FlowTrainer(QUICK).train(SMALL, data);
        TrainingResult second = new FlowTrainer(QUICK).train(SMALL, data);
        assertEquals(first.parameters(), second.parameters());
        TrainingResult otherSeed = new FlowTrainer(QUICK.toBuilder().seed(2).build()).train(SMALL, data);
        assertNotEquals(first.parameters(), otherSeed.parameters());
    }

    @Test
    void concurrentTrainingsMatchSequentialOnes() throws Exception {
        TrainingData a = linearGaussian(1200, 5);
        TrainingData b = linearGaussian(1200, 6);
        FlowParameters expectedA = new FlowTrainer(QUICK).train(SMALL, a).parameters();
        FlowParameters expectedB = new FlowTrainer(QUICK).train(SMALL, b).parameters();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var futureA = pool.submit(() -> new FlowTrainer(QUICK).train(SMALL, a).parameters());
            var futureB = pool.submit(() -> new FlowTrainer(QUICK).train(SMALL, b).parameters());
            assertEquals(expectedA, futureA.get());
            assertEquals(expectedB, futureB.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void trainingLowersTheValidationNllAndReportsEveryEpoch() {
        TrainingData data = linearGaussian(3000, 4);
        TrainingResult result = new FlowTrainer(QUICK.toBuilder().maxEpochs(6).build()).train(SMALL, data);
        TrainingReport report = result.report();
        assertEquals(6, report.epochs().size());
        assertEquals(300, report.validationRecords());
        assertEquals(2700, report.trainRecords());
        EpochStats first = report.epochs().get(0);
        EpochStats best = report.best();
        assertTrue(best.validationLoss() < first.validationLoss(), report.toString());
        // The scaler alone removes log(20 * 0.01) = -1.6 nats; the flow must also learn the dependence on c and x1.
        // Entropy of the standardised-units model: 0.5 log((2 pi e)^2 0.25 * 0.09) = about 0.92 - log(0.2) offset.
        double trueEntropy = 0.5 * Math.log(Math.pow(2 * Math.PI * Math.E, 2) * 0.25 * 0.09) + Math.log(20 * 0.01);
        assertTrue(best.validationLoss() < trueEntropy + 0.25, "validation NLL " + best.validationLoss()
                + " vs entropy " + trueEntropy);
        float[] mean = result.parameters().values(ConditionalFlow.X_MEAN);
        assertEquals(100, mean[0], 2);
        assertEquals(-3, mean[1], 0.01);
        assertTrue(report.wallSeconds() > 0);
    }

    @Test
    void nonFiniteRowsAreDroppedAndCounted() {
        float[] x = {1, 2, Float.NaN, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
        float[] c = {0, 1, 2, Float.POSITIVE_INFINITY, 4, 5, 6};
        TrainingData data = TrainingData.iid(2, 1, x, c);
        assertEquals(5, data.size());
        assertEquals(2, data.droppedRows());
        TrainingResult result = new FlowTrainer(QUICK.toBuilder().maxEpochs(1).build()).train(SMALL, data);
        assertEquals(2, result.report().droppedRows());
        assertThrows(IllegalArgumentException.class,
                () -> new FlowTrainer(QUICK).train(FlowConfig.defaults(3, 1), data));
    }

    @Test
    void initialFlowIsTheIdentityUpToTheScaler() {
        // One coupling: no permutation after it, so the untrained flow maps x to itself.
        FlowConfig single = SMALL.toBuilder().couplings(1).build();
        ConditionalFlow flow = new ConditionalFlow(single);
        FlowParameters initial = FlowParameters.initialize(flow.parameters(), 1);
        try (TrainedFlow trained = new TrainedFlow(single, initial)) {
            float[] x = {0.3f, -1.2f, 2.5f, 0.7f};
            float[] z = trained.encode(x, new float[] {0.1f, 2f}, 2);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], z[i], 1e-5);
            }
        }
    }

    @Test
    void epochAndValidationBudgetsBoundTheRecordsUsed() {
        TrainingData data = linearGaussian(6000, 8);
        TrainerConfig budgeted = QUICK.toBuilder().maxEpochs(3).maxRecordsPerEpoch(1000).maxValidationRecords(200)
                .build();
        TrainingReport report = new FlowTrainer(budgeted).train(SMALL, data).report();
        assertEquals(600, report.validationRecords(), "the split itself is unchanged");
        assertEquals(200, report.earlyStoppingRecords(), "early stopping scores the bounded subset");
        for (EpochStats epoch : report.epochs()) {
            assertEquals(1000, epoch.records(), "records of epoch " + epoch.epoch());
            assertEquals(8, epoch.steps(), "1000 records in batches of 128");
        }
        assertEquals(24, report.steps());
        TrainingReport full = new FlowTrainer(QUICK.toBuilder().maxEpochs(1).build()).train(SMALL, data).report();
        assertEquals(5400, full.epochs().get(0).records(), "no budget: every training record");
        assertEquals(600, full.earlyStoppingRecords());
    }
}
