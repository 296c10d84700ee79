package io.flowcast.flow.quality;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.train.FlowTrainer;
import io.flowcast.flow.train.TrainedFlow;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.flow.train.TrainingData;
import io.flowcast.flow.train.TrainingResult;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Trained on data with a known density, the flow's held-out NLL must come within 0.05 nats of the true entropy.
 * Both are measured on the same test records (model NLL minus true NLL is then a low-noise estimate of the KL
 * divergence), the true log-density being exact (mixture) or a fine quadrature of the noise over the shape.
 */
@Tag("slow")
class FlowQualityTest {

    private static final double TOLERANCE = 0.05;
    private static final int TRAIN_RECORDS = 30_000;
    private static final int TEST_RECORDS = 20_000;
    /** Trainings run two at a time (one per core; each trainer uses one intra-op thread). */
    private static ExecutorService pool;
    private static final Map<String, Future<Double>> GAPS = new ConcurrentHashMap<>();

    @BeforeAll
    static void startTrainings() {
        pool = Executors.newFixedThreadPool(2);
        start("two moons", new KnownDensity.TwoMoons(0.1));
        start("rings", new KnownDensity.Rings(0.15, 1, 2));
        start("checkerboard", new KnownDensity.Checkerboard(0.1));
        start("conditional mixture", new KnownDensity.ConditionalMixture());
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    private static void start(String name, KnownDensity truth) {
        GAPS.put(name, pool.submit(() -> gap(name, truth)));
    }

    @Test
    void twoMoons() throws Exception {
        assertWithinTolerance("two moons");
    }

    @Test
    void rings() throws Exception {
        assertWithinTolerance("rings");
    }

    @Test
    void checkerboard() throws Exception {
        assertWithinTolerance("checkerboard");
    }

    @Test
    void conditionalGaussianMixture() throws Exception {
        assertWithinTolerance("conditional mixture");
    }

    private static void assertWithinTolerance(String name) throws Exception {
        double gap = GAPS.get(name).get();
        assertTrue(Math.abs(gap) < TOLERANCE, name + ": model NLL exceeds the true entropy by " + gap + " nats");
    }

    /** Trains on {@code truth} and returns held-out model NLL minus true NLL. */
    private static double gap(String name, KnownDensity truth) {
        int k = truth.contextDimension();
        Sample train = Sample.draw(truth, TRAIN_RECORDS, 1);
        Sample test = Sample.draw(truth, TEST_RECORDS, 2);
        FlowConfig config = FlowConfig.builder(2, k).couplings(4).hiddenWidth(64).hiddenLayers(2).bins(12)
                .tailBound(4f).seed(5).build();
        TrainerConfig trainer = TrainerConfig.builder().batchSize(512).learningRate(5e-3).maxEpochs(20).patience(5)
                .warmupSteps(100).seed(9).build();
        long start = System.nanoTime();
        TrainingResult result = new FlowTrainer(trainer).train(config, TrainingData.iid(2, k, train.x, train.c));
        double seconds = (System.nanoTime() - start) / 1e9;
        double modelNll;
        try (TrainedFlow flow = result.toTrainedFlow()) {
            modelNll = -mean(flow.logProb(test.x, test.c, TEST_RECORDS));
        }
        double trueNll = 0;
        float[] context = new float[k];
        for (int i = 0; i < TEST_RECORDS; i++) {
            System.arraycopy(test.c, i * k, context, 0, k);
            trueNll -= truth.logDensity(test.x[2 * i], test.x[2 * i + 1], context);
        }
        trueNll /= TEST_RECORDS;
        double gap = modelNll - trueNll;
        System.out.printf("quality %-20s model NLL %.4f true %.4f gap %+.4f  epochs %d (best %d) %.1f s%n", name,
                modelNll, trueNll, gap, result.report().epochs().size(), result.report().bestEpoch(), seconds);
        return gap;
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private record Sample(float[] x, float[] c) {
        static Sample draw(KnownDensity truth, int n, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            int k = truth.contextDimension();
            float[] x = new float[2 * n];
            float[] c = new float[k * n];
            float[] row = new float[2];
            float[] context = new float[k];
            for (int i = 0; i < n; i++) {
                truth.sample(random, row, context);
                System.arraycopy(row, 0, x, 2 * i, 2);
                System.arraycopy(context, 0, c, k * i, k);
            }
            return new Sample(x, c);
        }
    }
}
