package io.flowcast.topology;

import static io.flowcast.topology.TopologyHarness.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.Alert;
import io.flowcast.anomaly.AlertPolicy;
import io.flowcast.anomaly.AlertSeverity;
import io.flowcast.anomaly.AlertState;
import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.ExportedMetric;
import io.flowcast.contract.TopicNames;
import io.flowcast.flow.ConditionalDensity;
import io.flowcast.serving.StreamModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alert episodes through the real topology: per-entity state in the store, one record per transition. */
class AlertTopologyTest {

    /** Raw scores 0.0, 0.1, ..., 9.8: a raw score above 9.8 has tail 1/100; |x| = 0 has 0.93, |x| = 8 has 0.13. */
    private static final HeldOutCalibration CALIBRATION =
            HeldOutCalibration.of(IntStream.range(0, 99).mapToDouble(i -> i * 0.1).toArray());
    private static final StreamModel LAPLACE = new StreamModel("sine.laplace", 2, List.of("value"),
            TopologyHarness.CONTEXT, new Laplace(), CALIBRATION);
    /** Threshold 0.05 (the profile's), hold at 0.2, close after 3; HIGH from grade 0.985. */
    private static final ScoringTopology.Options OPTIONS = new ScoringTopology.Options(8, Duration.ofMinutes(10),
            4096, "pedestrians").withBatching(16, Duration.ofMillis(5))
            .withAlerts(new AlertPolicy(4, 3, 0.95, 0.985, 0.999));

    @TempDir
    Path stateDir;

    @Test
    void anEntitysEpisodeIsPublishedOnceWhenItOpensAndOnceWhenItClosesAndOtherEntitiesStayQuiet() {
        try (TopologyHarness harness = new TopologyHarness(
                new TopologyHarness.SwappableCatalog(TopologyHarness.SINE, LAPLACE), OPTIONS, stateDir)) {
            TestOutputTopic<String, Alert> alerts = harness.driver.createOutputTopic(TopicNames.ALERTS,
                    new StringDeserializer(), Topics.ALERTS.valueSerde().deserializer());
            double[] e1 = {0, 0, 0, 20, 8, 30, 0, 0, 0, 0};
            for (int i = 0; i < e1.length; i++) {
                harness.sine("e1", T0 + i * 1000L, e1[i]);
                harness.sine("e2", T0 + i * 1000L, 0);
            }
            harness.tick(Duration.ofMillis(5));

            List<TestRecord<String, Alert>> out = alerts.readRecordsToList();
            long opened = T0 + 3000;
            SourceRef peak = new SourceRef(TopicNames.EVENTS, 0, 6); // e1's 4th record, interleaved with e2's
            ModelRef model = new ModelRef("sine.laplace", 2);
            assertEquals(List.of(
                    new Alert("test-sine/e1/" + opened, "e1", "test-sine", AlertState.OPEN, opened, opened, 0.99,
                            null, AlertSeverity.HIGH, 0.05, model, 1, peak, null),
                    new Alert("test-sine/e1/" + opened, "e1", "test-sine", AlertState.CLOSED, opened, opened, 0.99,
                            T0 + 8000, AlertSeverity.HIGH, 0.05, model, 6, peak, null)),
                    out.stream().map(TestRecord::value).toList());
            assertEquals(List.of("test-sine/e1/" + opened, "test-sine/e1/" + opened),
                    out.stream().map(TestRecord::key).toList());
            for (TestRecord<String, Alert> record : out) {
                TopologyHarness.assertMeetsContract(TopicNames.ALERTS,
                        Topics.ALERTS.valueSerde().serializer().serialize(TopicNames.ALERTS, record.value()));
            }
            assertEquals(1.0, harness.count(ExportedMetric.ALERTS_OPENED.micrometerName(), "stream", "test-sine"));
            assertEquals(2.0, harness.count(ExportedMetric.RECORDS_OUT.micrometerName(), "topic", TopicNames.ALERTS));
            // The closed episode leaves no state behind.
            assertTrue(harness.driver.getKeyValueStore(ScoringTopology.EVENT_ALERT_STORE).get("test-sine/e1")
                    == null);
        }
    }

    /** Laplace(0, 1) whatever the context: log p(x) = -log 2 - |x|. */
    private static final class Laplace implements ConditionalDensity {
        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public int contextDimension() {
            return 3;
        }

        @Override
        public float[] logProb(float[] x, float[] c, int batch) {
            float[] out = new float[batch];
            for (int i = 0; i < batch; i++) {
                out[i] = (float) (-Math.log(2) - Math.abs(x[i]));
            }
            return out;
        }

        @Override
        public float[] sample(float[] c, int batch, int n, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] out = new float[batch * n];
            for (int i = 0; i < out.length; i++) {
                double u = random.nextDouble() - 0.5;
                out[i] = (float) (-Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
            }
            return out;
        }
    }
}
