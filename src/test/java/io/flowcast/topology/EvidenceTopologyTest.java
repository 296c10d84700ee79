package io.flowcast.topology;

import static io.flowcast.topology.TopologyHarness.CONTEXT;
import static io.flowcast.topology.TopologyHarness.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.Alert;
import io.flowcast.anomaly.AlertEpisode;
import io.flowcast.anomaly.AlertEpisodeTracker;
import io.flowcast.anomaly.AlertPolicy;
import io.flowcast.anomaly.AlertState;
import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.EntityEvidence;
import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.anomaly.MarginalTail;
import io.flowcast.contract.TopicNames;
import io.flowcast.flow.GaussianDensity;
import io.flowcast.serving.StreamModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live alarm evidence through the real topology. The stream's model is a linear-Gaussian fitted to a random walk
 * (x_t = x_{t-1} + N(0, 0.1^2)) and calibrated on held-out walks, so it forecasts: a slow drift of one step per record
 * is ordinary to it at every record. The entity's marginal view sees values it has not shown lately: the combined
 * evidence (computed here independently with {@link MarginalTail}) falls under the threshold and an alert opens,
 * where the flow's tail alone raises none.
 */
class EvidenceTopologyTest {

    private static final Duration WAIT = Duration.ofMillis(5);
    private static final ScoringTopology.Options OPTIONS = new ScoringTopology.Options(8, Duration.ofMinutes(10),
            4096, "pedestrians").withBatching(64, WAIT).withAlerts(new AlertPolicy(4, 3, 0.95, 0.99, 0.999));
    /** The marginal view only (no seasonal slots), from 32 values: what the expectations below recompute. */
    private static final EntityEvidence.Settings SETTINGS =
            new EntityEvidence.Settings(64, 64, Duration.ofDays(1), 0, 32, 0.1);
    private static final double STEP = 0.1;

    private static StreamModel walk;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void fit() {
        walk = new StreamModel("sine.walk", 1, List.of("value"), CONTEXT, fitWalk(2000, 1),
                HeldOutCalibration.of(rawScores(fitWalk(2000, 1), 1000, 2)));
    }

    /** Rows (x_t, context of x_{t-2}, x_{t-1}) of a random walk. */
    private static float[][] walkRows(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] series = new float[n + 2];
        for (int i = 1; i < series.length; i++) {
            series[i] = (float) (series[i - 1] + STEP * random.nextGaussian());
        }
        float[] x = new float[n];
        float[] c = new float[n * CONTEXT.dimension(1)];
        for (int i = 0; i < n; i++) {
            x[i] = series[i + 2];
            float[] context = CONTEXT.build(series, i + 2, 1, 0, 1000);
            System.arraycopy(context, 0, c, i * context.length, context.length);
        }
        return new float[][] {x, c};
    }

    private static GaussianDensity fitWalk(int n, long seed) {
        float[][] rows = walkRows(n, seed);
        return GaussianDensity.fit(rows[0], rows[1], n, 1, CONTEXT.dimension(1), 1e-3);
    }

    private static double[] rawScores(GaussianDensity density, int n, long seed) {
        float[][] rows = walkRows(n, seed);
        float[] logProb = density.logProb(rows[0], rows[1], n);
        double[] raw = new double[n];
        for (int i = 0; i < n; i++) {
            raw[i] = -logProb[i];
        }
        return raw;
    }

    private TopologyHarness harness(Path dir) {
        return new TopologyHarness(new TopologyHarness.SwappableCatalog(TopologyHarness.SINE, walk), OPTIONS,
                new EvidenceStreams(new EntityEvidence(SETTINGS), Set.of("test-sine")), dir);
    }

    /** A walk of 80 records, then a drift of 40 records climbing STEP per record: ordinary steps, new levels. */
    private static List<Double> walkThenDrift() {
        SplittableRandom random = new SplittableRandom(7);
        List<Double> values = new ArrayList<>();
        double value = 0;
        for (int i = 0; i < 120; i++) {
            value += i < 80 ? STEP * random.nextGaussian() : STEP;
            values.add(Math.round(value * 1e4) / 1e4);
        }
        return values;
    }

    @Test
    void aDriftTheFlowForecastsButTheEntitysRecentValuesNeverShowedOpensAnAlert() {
        List<Double> values = walkThenDrift();
        try (TopologyHarness harness = harness(stateDir)) {
            TestOutputTopic<String, Alert> alerts = harness.driver.createOutputTopic(TopicNames.ALERTS,
                    new StringDeserializer(), Topics.ALERTS.valueSerde().deserializer());
            for (int i = 0; i < values.size(); i++) {
                harness.sine("e1", T0 + i * 1000L, values.get(i));
                if (i % 50 == 49) {
                    harness.tick(WAIT); // several batches: the evidence state goes through the store
                }
            }
            harness.tick(WAIT);
            List<AnomalyDescriptor> got = harness.scores.readValuesToList();
            assertEquals(values.size(), got.size());

            // The expectation, recomputed: the flow's tail alone until 32 values are kept, then Bonferroni over the
            // flow's tail and the value's tail among the last 64 values.
            double lowestFlowTail = 1;
            double lowestEvidence = 1;
            int firstAnomalous = -1;
            for (int i = 0; i < got.size(); i++) {
                AnomalyDescriptor d = got.get(i);
                if (i < CONTEXT.window()) {
                    assertTrue(d.warmingUp());
                    assertNull(d.evidenceTailProbability());
                    continue;
                }
                double expected = d.tailProbability();
                if (i >= 32) {
                    MarginalTail marginal = new MarginalTail(64, 0.1);
                    for (int j = Math.max(0, i - 64); j < i; j++) {
                        marginal.add(values.get(j).floatValue());
                    }
                    expected = Math.min(1.0, 2 * Math.min(d.tailProbability(),
                            marginal.tail(values.get(i).floatValue())));
                }
                assertEquals(expected, d.evidenceTailProbability(), "record " + i);
                assertEquals(expected <= 0.05, d.anomalous(), "record " + i);
                TopologyHarness.assertMeetsContract(TopicNames.SCORES,
                        new DescriptorSerde().serializer().serialize(TopicNames.SCORES, d));
                if (i >= 80) {
                    lowestFlowTail = Math.min(lowestFlowTail, d.tailProbability());
                    lowestEvidence = Math.min(lowestEvidence, d.evidenceTailProbability());
                    if (firstAnomalous < 0 && d.anomalous()) {
                        firstAnomalous = i;
                    }
                }
            }
            assertTrue(lowestFlowTail > 0.05, "the flow forecasts the drift: its lowest tail is " + lowestFlowTail);
            assertTrue(lowestEvidence <= 0.05, "the drift leaves the entity's range: " + lowestEvidence);
            // The alerts are the episodes of the evidence tails (at threshold 0.05 the walk has a few of its own);
            // one opens on the drift's first anomalous record.
            List<Alert> raised = alerts.readValuesToList();
            assertEquals(episodes(got), raised);
            long driftAlarm = T0 + firstAnomalous * 1000L;
            assertTrue(raised.stream().anyMatch(a -> a.state() == AlertState.OPEN && a.startedAt() == driftAlarm),
                    raised.toString());

            // The entity's evidence lives in the evidence store: the last 64 values, newest last.
            EntityEvidence.State stored = harness.driver.<String, EntityEvidence.State>getKeyValueStore(
                    ScoringTopology.EVENT_EVIDENCE_STORE).get("test-sine/e1");
            assertEquals(64, stored.recentSize());
            assertEquals(values.get(values.size() - 1).floatValue(), stored.recent()[63]);
        }
    }

    /** The alerts the tracker makes of an entity's descriptors, in order. */
    private static List<Alert> episodes(List<AnomalyDescriptor> descriptors) {
        AlertEpisodeTracker tracker = new AlertEpisodeTracker(OPTIONS.alerts());
        AlertEpisode open = null;
        List<Alert> out = new ArrayList<>();
        for (AnomalyDescriptor d : descriptors) {
            AlertEpisodeTracker.Step step = tracker.observe(open, d);
            open = step.episode();
            if (step.alert() != null) {
                out.add(step.alert());
            }
        }
        return out;
    }

    @Test
    void withoutEvidenceTheDriftOpensNoAlert() {
        List<Double> values = walkThenDrift();
        try (TopologyHarness harness = new TopologyHarness(
                new TopologyHarness.SwappableCatalog(TopologyHarness.SINE, walk), OPTIONS, stateDir)) {
            TestOutputTopic<String, Alert> alerts = harness.driver.createOutputTopic(TopicNames.ALERTS,
                    new StringDeserializer(), Topics.ALERTS.valueSerde().deserializer());
            for (int i = 0; i < values.size(); i++) {
                harness.sine("e1", T0 + i * 1000L, values.get(i));
            }
            harness.tick(WAIT);
            List<AnomalyDescriptor> got = harness.scores.readValuesToList();
            got.forEach(d -> assertNull(d.evidenceTailProbability()));
            assertTrue(got.stream().skip(80).noneMatch(AnomalyDescriptor::anomalous));
            assertNull(harness.driver.getKeyValueStore(ScoringTopology.EVENT_EVIDENCE_STORE));
            List<Alert> raised = alerts.readValuesToList();
            assertEquals(episodes(got), raised);
            assertTrue(raised.stream().noneMatch(a -> a.startedAt() >= T0 + 80_000), raised.toString());
        }
    }

    @Test
    void aWarmingUpEntityNeverAlertsHoweverExtremeItsValues() {
        try (TopologyHarness harness = harness(stateDir)) {
            TestOutputTopic<String, Alert> alerts = harness.driver.createOutputTopic(TopicNames.ALERTS,
                    new StringDeserializer(), Topics.ALERTS.valueSerde().deserializer());
            harness.sine("e1", T0, 1e6);
            harness.sine("e1", T0 + 1000, -1e6);
            harness.tick(WAIT);
            List<AnomalyDescriptor> got = harness.scores.readValuesToList();
            assertEquals(2, got.size());
            for (AnomalyDescriptor d : got) {
                assertTrue(d.warmingUp());
                assertFalse(d.anomalous());
                assertNull(d.evidenceTailProbability());
            }
            assertTrue(alerts.isEmpty());
            // They taught the evidence their values nonetheless.
            EntityEvidence.State stored = harness.driver.<String, EntityEvidence.State>getKeyValueStore(
                    ScoringTopology.EVENT_EVIDENCE_STORE).get("test-sine/e1");
            assertEquals(2, stored.recentSize());
        }
    }
}
