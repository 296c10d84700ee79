package io.flowcast.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.KafkaBrokerResource;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.train.IidObjective;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.flow.train.TrainingData;
import io.flowcast.registry.ModelRegistry;
import io.flowcast.registry.ModelVersion;
import io.flowcast.retrain.Candidate;
import io.flowcast.retrain.CandidateTrainer;
import io.flowcast.retrain.FirstFlowTrainer;
import io.flowcast.retrain.FlowShape;
import io.flowcast.retrain.ModelSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The registry-backed catalog against the real broker: a stream with no model warms up on an interim Gaussian, a
 * first flow is trained in the background, published, activated and served; a newer version is swapped in while a
 * record holding the old one finishes on it; the old one is closed after its lease; a rollback record switches back;
 * a version that does not fit the stream is refused and the current one keeps serving.
 */
@Tag("slow")
class RegistryModelCatalogTest {

    private static final ContextSpec CONTEXT = new ContextSpec(2, false);
    private static final TrainerConfig QUICK = TrainerConfig.builder().batchSize(64).maxEpochs(15).patience(4)
            .warmupSteps(5).learningRate(5e-3).maxSeconds(10).build();

    /** A 2-d AR(1)-ish stream and its contexts (the last two values and their difference). */
    private static float[][] stream(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] history = new float[(rows + 2) * 2];
        for (int t = 1; t < rows + 2; t++) {
            history[2 * t] = (float) (0.8 * history[2 * t - 2] + random.nextGaussian());
            history[2 * t + 1] = (float) (0.5 * history[2 * t] + 0.3 * random.nextGaussian() + 10);
        }
        int k = CONTEXT.dimension(2);
        float[] x = new float[rows * 2];
        float[] c = new float[rows * k];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(history, (i + 2) * 2, x, i * 2, 2);
            float[] context = CONTEXT.build(Arrays.copyOfRange(history, i * 2, (i + 2) * 2), 2, 2, 0, 1);
            System.arraycopy(context, 0, c, i * k, k);
        }
        return new float[][] {x, c};
    }

    private static void eventually(BooleanSupplier condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(25);
        }
    }

    private static Candidate candidate(ModelRegistry registry, String name, List<String> features, long seed) {
        float[][] data = stream(400, seed);
        int k = CONTEXT.dimension(2);
        ModelSpec spec = new ModelSpec(name, registry.nextVersion(name), null, features, CONTEXT, 0, 0);
        return new CandidateTrainer(QUICK).train(spec, FlowShape.small().config(features, k), new IidObjective(),
                TrainingData.iid(2, k, Arrays.copyOf(data[0], 600), Arrays.copyOf(data[1], 300 * k)),
                Arrays.copyOfRange(data[0], 600, 800), Arrays.copyOfRange(data[1], 300 * k, 400 * k), 100);
    }

    @Test
    void firstFlowThenHotSwapRollbackAndRefusal() throws Exception {
        String name = "catalog-" + UUID.randomUUID();
        StreamProfile profile = new StreamProfile(name, List.of("a", "b"), CONTEXT, 0.01);
        try (ModelRegistry registry = new ModelRegistry(KafkaBrokerResource.bootstrapServers(), TopicNames.MODELS,
                null, 256 * 1024)) {
            assertTrue(registry.awaitCaughtUp(Duration.ofSeconds(30)));
            FirstFlowTrainer first = new FirstFlowTrainer(registry, FlowShape.small(), QUICK, 0.6);
            try (RegistryModelCatalog catalog = new RegistryModelCatalog(List.of(profile), registry,
                    SessionSettings.defaults(), new ExecutionProviderSelector(ProviderChoice.CPU), 100, 150, 1e-3,
                    first, Duration.ofMillis(300))) {
                float[][] data = stream(300, 1);
                int k = CONTEXT.dimension(2);
                for (int i = 0; i < 300; i++) {
                    catalog.learn(name, Arrays.copyOfRange(data[0], 2 * i, 2 * i + 2),
                            Arrays.copyOfRange(data[1], k * i, k * (i + 1)));
                }
                assertEquals(name + ".linear-gaussian", catalog.current(name).orElseThrow().name(), "interim first");
                eventually(() -> catalog.current(name).orElseThrow().name().equals(name + ".flow"),
                        Duration.ofSeconds(90), "the first flow serves");
                StreamModel v1 = catalog.current(name).orElseThrow();
                assertEquals(1, v1.version());
                float[] x = {0.5f, 10.2f};
                float[] c = Arrays.copyOf(data[1], k);
                assertTrue(Float.isFinite(v1.density().logProb(x, c, 1)[0]));
                double tail = v1.calibration().tailProbability(-v1.density().logProb(x, c, 1)[0]);
                assertTrue(tail > 0.01, "an ordinary record is not an anomaly: " + tail);

                // A record holds v1 while v2 is published and activated.
                ModelLease held = catalog.lease(name).orElseThrow();
                Candidate next = candidate(registry, name, List.of("a", "b"), 2);
                ModelVersion v2 = registry.publish(next.draft(), next.artifactBytes());
                registry.activate(name, v2.version(), "test swap");
                eventually(() -> catalog.current(name).orElseThrow().version() == 2, Duration.ofSeconds(30),
                        "v2 serves");
                Thread.sleep(600); // past the grace period: only the lease keeps v1 open
                assertTrue(Float.isFinite(held.model().density().logProb(x, c, 1)[0]), "v1 still scores");
                held.close();
                eventually(() -> {
                    try {
                        v1.density().logProb(x, c, 1);
                        return false;
                    } catch (IllegalStateException e) {
                        return true;
                    }
                }, Duration.ofSeconds(5), "v1 closed after its last lease");

                // Rollback is one record.
                registry.activate(name, 1, "rollback");
                eventually(() -> catalog.current(name).orElseThrow().version() == 1, Duration.ofSeconds(30),
                        "v1 serves again");
                assertTrue(Float.isFinite(catalog.current(name).orElseThrow().density().logProb(x, c, 1)[0]));

                // A version reading other features is refused; v1 keeps serving.
                Candidate wrong = candidate(registry, name, List.of("a", "z"), 3);
                ModelVersion v3 = registry.publish(wrong.draft(), wrong.artifactBytes());
                registry.activate(name, v3.version(), "wrong features");
                eventually(() -> catalog.refusals() >= 1, Duration.ofSeconds(30), "v3 refused");
                assertEquals(1, catalog.current(name).orElseThrow().version());
                assertEquals(3, catalog.swaps(), "v1, v2, v1 again");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new FirstFlowTrainer(null, FlowShape.small(), QUICK, 1.0));
    }
}
