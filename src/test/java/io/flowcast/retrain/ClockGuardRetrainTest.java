package io.flowcast.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.KafkaBrokerResource;
import io.flowcast.flow.ClockCoverage;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.EventHistory;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.registry.ModelRegistry;
import io.flowcast.registry.ModelVersion;
import io.flowcast.serving.StreamProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The flow fitters choose the clock columns from their data and the registry carries the choice: a first flow
 * trained on ten minutes publishes a manifest with the gap only; a retrained candidate on five days (three of them in
 * its training share) gets hour-of-day but not day-of-week, and is still judged against the live version on the same
 * validation records, each reading its own context.
 */
@Tag("slow")
class ClockGuardRetrainTest {

    private static final TrainerConfig QUICK = TrainerConfig.builder().batchSize(128).maxEpochs(6).patience(3)
            .warmupSteps(5).learningRate(5e-3).maxSeconds(20).threads(1).build();
    private static final long START = 1_795_000_000_000L;

    /** Three entities with a daily season and AR(1) deviations, one record each every {@code stepMillis}. */
    private static List<StreamObservation> records(long stepMillis, int perEntity) {
        SplittableRandom random = new SplittableRandom(5);
        List<StreamObservation> out = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            double a = 0;
            for (int i = 0; i < perEntity; i++) {
                long t = START + i * stepMillis + e;
                a = 0.9 * a + 0.4 * random.nextGaussian();
                double season = 3 * Math.sin(2 * Math.PI * t / 86_400_000.0);
                out.add(new StreamObservation("entity-" + e, t,
                        new float[] {(float) (20 + season + a), (float) (season + 0.2 * random.nextGaussian())}));
            }
        }
        out.sort(java.util.Comparator.comparingLong(StreamObservation::eventTime));
        return out;
    }

    @Test
    void theFirstFlowOnMinutesHasNoClockAndARetrainOnDaysGetsHourOfDay() throws Exception {
        String name = "clock-" + UUID.randomUUID();
        ContextSpec configured = new ContextSpec(2, true);
        StreamProfile profile = new StreamProfile(name, List.of("a", "b"), configured, 0.01);
        try (ModelRegistry registry = new ModelRegistry(KafkaBrokerResource.bootstrapServers(), TopicNames.MODELS,
                null, 512 * 1024)) {
            assertTrue(registry.awaitCaughtUp(Duration.ofSeconds(30)));

            // The first flow: ten minutes of records, contexts built as the topology builds them.
            List<StreamObservation> minutes = records(1000, 200);
            List<EventHistory> histories = List.of(new EventHistory(configured, 2), new EventHistory(configured, 2),
                    new EventHistory(configured, 2));
            int k = configured.dimension(2);
            float[] x = new float[minutes.size() * 2];
            float[] c = new float[minutes.size() * k];
            int rows = 0;
            for (StreamObservation o : minutes) {
                EventHistory history = histories.get(o.entityId().charAt(o.entityId().length() - 1) - '0');
                float[] context = history.context(o.eventTime());
                if (context != null) {
                    System.arraycopy(o.x(), 0, x, rows * 2, 2);
                    System.arraycopy(context, 0, c, rows * k, k);
                    rows++;
                }
                history.append(o.eventTime(), o.x());
            }
            new FirstFlowTrainer(registry, FlowShape.small(), QUICK, 0.7, ClockCoverage.DEFAULT)
                    .train(profile, x, c, rows);
            ModelVersion first = awaitServing(registry, name, 1);
            assertEquals(List.of("gap"), first.contextTimeFeatures());
            assertEquals(new ContextSpec(2, false, false, true), first.contextSpec());

            // A retrain on five days, every ten minutes: the oldest 60 % (three days) train.
            List<StreamObservation> days = records(600_000, 720);
            Retrainer.Settings settings = new Retrainer.Settings("ar1", FlowShape.small(), QUICK, 0.6, 0.2, 200,
                    PromotionGate.defaults(), ClockCoverage.DEFAULT);
            RetrainOutcome outcome = new Retrainer(registry, p -> days, settings).retrain(profile);
            assertTrue(outcome.result() == RetrainOutcome.Result.PROMOTED
                    || outcome.result() == RetrainOutcome.Result.REJECTED, outcome.toString());
            assertNotNull(outcome.live(), "the live gap-only version is judged on the same records: " + outcome);

            // The same retrain for a stream nothing serves yet is promoted unjudged: its manifest shows the choice.
            String fresh = name + "-fresh";
            StreamProfile freshProfile = new StreamProfile(fresh, List.of("a", "b"), configured, 0.01);
            RetrainOutcome promoted = new Retrainer(registry, p -> days, settings).retrain(freshProfile);
            assertEquals(RetrainOutcome.Result.PROMOTED, promoted.result(), promoted.toString());
            ModelVersion retrained = awaitServing(registry, fresh, promoted.version());
            assertEquals(List.of("hour-of-day", "gap"), retrained.contextTimeFeatures());
            assertEquals(new ContextSpec(2, true, false, true), retrained.contextSpec());
        }
    }

    private static ModelVersion awaitServing(ModelRegistry registry, String name, int version)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (registry.serving(name).map(v -> v.version() != version).orElse(true)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " v" + version + " does not serve");
            }
            Thread.sleep(20);
        }
        return registry.serving(name).orElseThrow();
    }
}
