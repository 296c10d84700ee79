package io.flowcast.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.KafkaBrokerResource;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.registry.ModelRegistry;
import io.flowcast.serving.StreamProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The retrainer end to end against the real broker's registry: a deliberately weak candidate (barely trained) is
 * promoted only when nothing serves; a well-trained one beats it and is promoted; the weak one is then rejected and
 * the better version keeps serving.
 */
@Tag("slow")
class RetrainerTest {

    private static final TrainerConfig GOOD = TrainerConfig.builder().batchSize(128).maxEpochs(25).patience(5)
            .warmupSteps(10).learningRate(5e-3).maxSeconds(30).build();
    private static final TrainerConfig WEAK = TrainerConfig.builder().batchSize(128).maxEpochs(1).warmupSteps(0)
            .learningRate(1e-6).minLearningRate(0).build();

    /** Three entities, each a 2-d AR(1) with strong persistence, every second (so the context predicts x well). */
    static List<StreamObservation> records() {
        SplittableRandom random = new SplittableRandom(3);
        List<StreamObservation> out = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            double a = 0;
            double b = 0;
            for (int t = 0; t < 600; t++) {
                a = 0.9 * a + 0.4 * random.nextGaussian();
                b = 0.5 * a + 0.2 * random.nextGaussian();
                out.add(new StreamObservation("entity-" + e, 1_700_000_000_000L + 1000L * t + e,
                        new float[] {(float) (20 + a), (float) (5 * b)}));
            }
        }
        return out;
    }

    private static Retrainer.Settings settings(TrainerConfig trainer) {
        return new Retrainer.Settings("ar1", FlowShape.small(), trainer, 0.6, 0.2, 200, PromotionGate.defaults());
    }

    @Test
    void theGatePromotesABetterModelAndRejectsAWorseOne() throws Exception {
        String name = "retrain-" + UUID.randomUUID();
        StreamProfile profile = new StreamProfile(name, List.of("a", "b"), new ContextSpec(2, false), 0.01);
        List<StreamObservation> data = records();
        try (ModelRegistry registry = new ModelRegistry(KafkaBrokerResource.bootstrapServers(), TopicNames.MODELS,
                null, 512 * 1024)) {
            assertTrue(registry.awaitCaughtUp(Duration.ofSeconds(30)));
            RetrainOutcome weakFirst = new Retrainer(registry, p -> data, settings(WEAK)).retrain(profile);
            assertEquals(RetrainOutcome.Result.PROMOTED, weakFirst.result(), weakFirst.toString());
            waitServing(registry, name, 1);

            RetrainOutcome better = new Retrainer(registry, p -> data, settings(GOOD)).retrain(profile);
            assertEquals(RetrainOutcome.Result.PROMOTED, better.result(), better.toString());
            assertTrue(better.candidate().meanNll() < better.live().meanNll() - 0.1, better.toString());
            // The registry's reader sees version 2 only once it has consumed it: wait, then read its manifest.
            waitServing(registry, name, 2);
            assertEquals("ar1", registry.manifest(name, 2).orElseThrow().objective());
            assertTrue(registry.manifest(name, 2).orElseThrow().dependence().containsKey("rho"));

            RetrainOutcome worse = new Retrainer(registry, p -> data, settings(WEAK)).retrain(profile);
            assertEquals(RetrainOutcome.Result.REJECTED, worse.result(), worse.toString());
            assertTrue(worse.reason().contains("NLL"), worse.reason());
            assertEquals(2, registry.serving(name).orElseThrow().version(), "the better model keeps serving");

            RetrainOutcome tooLittle = new Retrainer(registry, p -> data.subList(0, 50), settings(GOOD))
                    .retrain(profile);
            assertEquals(RetrainOutcome.Result.SKIPPED, tooLittle.result());
        }
    }

    private static void waitServing(ModelRegistry registry, String name, int version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (registry.serving(name).map(v -> v.version() != version).orElse(true)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " v" + version + " does not serve");
            }
            Thread.sleep(20);
        }
    }
}
