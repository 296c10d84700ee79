package io.flowcast.topology;

import static io.flowcast.topology.TopologyHarness.CONTEXT;
import static io.flowcast.topology.TopologyHarness.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.ChiSquareTail;
import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.contract.TopicNames;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.Innovation;
import io.flowcast.flow.LatentDependence;
import io.flowcast.flow.LatentState;
import io.flowcast.flow.onnx.TestFlows;
import io.flowcast.serving.DependentOnnxFlow;
import io.flowcast.serving.OnnxFlowSession;
import io.flowcast.serving.StreamModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The innovation score in the topology, with a real dependent flow (a spline flow with random parameters, exported to
 * ONNX and served by ONNX Runtime, read with an AR(1) dependence): each descriptor carries the record's log-density
 * given its entity's past, computed here independently from the same flow's codes and marginal log-densities by
 * chaining each entity's latent state from record to record, across records of one batch and across batches; the
 * state restarts after a long silence and when another model version takes over.
 */
class InnovationTopologyTest {

    private static final Duration WAIT = Duration.ofMillis(5);
    private static final ScoringTopology.Options OPTIONS =
            new ScoringTopology.Options(16, Duration.ofMinutes(10), 4096, "pedestrians").withBatching(64, WAIT);
    private static final LatentDependence AR1 = new LatentDependence.Ar1(0.8);
    private static final HeldOutCalibration CALIBRATION =
            HeldOutCalibration.of(new double[] {0.5, 1, 1.5, 2, 3, 5, 8, 13, 21, 34});

    private static OnnxFlowSession session;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void open() throws Exception {
        FlowConfig config = FlowConfig.builder(1, CONTEXT.dimension(1)).couplings(2).hiddenWidth(8).bins(4).build();
        session = OnnxFlowSession.openOnCpu(TestFlows.export(config, 11));
    }

    @AfterAll
    static void close() {
        session.close();
    }

    private static StreamModel dependent(int version) {
        return new StreamModel("test-sine.flow", version, List.of("value"), CONTEXT,
                new DependentOnnxFlow(session, AR1), CALIBRATION);
    }

    /** What the topology should say, computed record by record from the flow itself. */
    private static final class Expected {
        final Map<String, List<float[]>> values = new HashMap<>();
        final Map<String, Long> lastTime = new HashMap<>();
        final Map<String, LatentState> states = new HashMap<>();

        /** The expected innovation of a record, or null while its entity warms up; then the record joins. */
        Innovation next(String entity, long time, double value) {
            List<float[]> past = values.computeIfAbsent(entity, e -> new ArrayList<>());
            Innovation innovation = null;
            if (past.size() >= CONTEXT.window()) {
                float[] history = new float[past.size()];
                for (int i = 0; i < history.length; i++) {
                    history[i] = past.get(i)[0];
                }
                float[] c = CONTEXT.build(history, history.length, 1, lastTime.get(entity), time);
                float[] x = {(float) value};
                float[] z = session.codes(x, c, 1);
                double marginal = session.logProb(x, c, 1)[0];
                innovation = Innovation.of(AR1, states.getOrDefault(entity, LatentState.empty()),
                        new double[] {z[0]}, marginal, time);
                states.put(entity, innovation.next());
            }
            past.add(new float[] {(float) value});
            lastTime.put(entity, time);
            return innovation;
        }

        void reset(String entity) {
            values.remove(entity);
            states.remove(entity);
        }

        void forgetLatent(String entity) {
            states.remove(entity);
        }
    }

    private static void assertInnovation(Innovation expected, AnomalyDescriptor actual) {
        if (expected == null) {
            assertTrue(actual.warmingUp(), actual.toString());
            assertNull(actual.innovationLogDensity());
            return;
        }
        assertFalse(actual.warmingUp(), actual.toString());
        assertNotNull(actual.innovationLogDensity(), actual.toString());
        // The flow runs in float32: batches of other sizes may differ in the last bits of a code.
        assertEquals(expected.logDensity(), actual.innovationLogDensity(), 1e-4, actual.toString());
        assertEquals(ChiSquareTail.survival(expected.standardisedResidualSquared(), 1),
                actual.innovationTailProbability(), 1e-4, actual.toString());
        TopologyHarness.assertMeetsContract(TopicNames.SCORES,
                new DescriptorSerde().serializer().serialize(TopicNames.SCORES, actual));
    }

    @Test
    void eachRecordIsScoredGivenItsEntitysLatentStateAcrossRecordsOfOneBatchAndAcrossBatches() {
        Expected expected = new Expected();
        List<Innovation> want = new ArrayList<>();
        try (TopologyHarness harness = new TopologyHarness(
                new TopologyHarness.SwappableCatalog(TopologyHarness.SINE, dependent(1)), OPTIONS, stateDir)) {
            for (int batch = 0; batch < 3; batch++) {
                // Two entities interleaved, several records each per batch: the second record of an entity in a
                // batch needs the state its first one left.
                for (int i = 0; i < 5; i++) {
                    int step = batch * 5 + i;
                    for (String entity : List.of("e1", "e2")) {
                        long time = T0 + step * 1000L;
                        double value = Math.sin(step / 3.0) * (entity.equals("e1") ? 1 : 2)
                                + (step == 11 && entity.equals("e1") ? 3 : 0);
                        harness.sine(entity, time, value);
                        want.add(expected.next(entity, time, value));
                    }
                }
                harness.tick(WAIT);
            }
            List<AnomalyDescriptor> got = harness.scores.readValuesToList();
            assertEquals(want.size(), got.size());
            for (int i = 0; i < got.size(); i++) {
                assertInnovation(want.get(i), got.get(i));
            }
            // The jump of e1 at step 11 breaks its continuity: its innovation is far less likely than its neighbours'.
            AnomalyDescriptor jump = got.get(22);
            assertEquals("e1", jump.entityId());
            assertTrue(jump.innovationLogDensity() < got.get(20).innovationLogDensity() - 1, jump.toString());
            assertTrue(harness.deadLetters.isEmpty());
            // The stored history keeps the state the entity's last record left, for its next batch.
            EntityHistory stored = harness.driver.<String, EntityHistory>getKeyValueStore(
                    ScoringTopology.EVENT_HISTORY_STORE).get("test-sine/e1");
            assertEquals(new ModelRef("test-sine.flow", 1), stored.latent().model());
            LatentState last = expected.states.get("e1");
            assertEquals(last.count(), stored.latent().state().count());
            assertEquals(last.lastEventTime(), stored.latent().state().lastEventTime());
            assertEquals(last.vector()[0], stored.latent().state().vector()[0], 1e-5);
        }
    }

    @Test
    void theLatentPastRestartsAfterALongSilenceAndWhenAnotherVersionScores() {
        Expected expected = new Expected();
        List<Innovation> want = new ArrayList<>();
        TopologyHarness.SwappableCatalog catalog = new TopologyHarness.SwappableCatalog(TopologyHarness.SINE,
                dependent(1));
        try (TopologyHarness harness = new TopologyHarness(catalog, OPTIONS, stateDir)) {
            long time = T0;
            for (int i = 0; i < 6; i++, time += 1000) {
                harness.sine("e1", time, Math.cos(i));
                want.add(expected.next("e1", time, Math.cos(i)));
            }
            harness.tick(WAIT);
            // Twenty minutes of silence (max-gap is ten): the entity warms up again and has no latent past.
            time += Duration.ofMinutes(20).toMillis();
            expected.reset("e1");
            for (int i = 0; i < 5; i++, time += 1000) {
                harness.sine("e1", time, Math.cos(i) / 2);
                want.add(expected.next("e1", time, Math.cos(i) / 2));
            }
            harness.tick(WAIT);
            // Version 2 takes over: the codes of version 1 mean nothing to it.
            catalog.swap(dependent(2));
            expected.forgetLatent("e1");
            for (int i = 0; i < 4; i++, time += 1000) {
                harness.sine("e1", time, Math.sin(i));
                want.add(expected.next("e1", time, Math.sin(i)));
            }
            harness.tick(WAIT);
            List<AnomalyDescriptor> got = harness.scores.readValuesToList();
            assertEquals(want.size(), got.size());
            for (int i = 0; i < got.size(); i++) {
                assertInnovation(want.get(i), got.get(i));
                assertEquals(i < 11 ? 1 : 2, got.get(i).model().version());
            }
            // After each restart the first scored record has no past: its innovation is its marginal log-density.
            for (int first : new int[] {2, 8, 11}) {
                assertEquals(got.get(first).logDensity(), got.get(first).innovationLogDensity(), 1e-4);
            }
            assertTrue(Math.abs(got.get(12).logDensity() - got.get(12).innovationLogDensity()) > 1e-3);
        }
    }

    @Test
    void anIndependentModelLeavesNoLatentStateAndNoInnovation() {
        try (TopologyHarness harness = new TopologyHarness(new TopologyHarness.SwappableCatalog(TopologyHarness.SINE,
                new StreamModel("test-sine.flow", 1, List.of("value"), CONTEXT, session, CALIBRATION)), OPTIONS,
                stateDir)) {
            for (int i = 0; i < 5; i++) {
                harness.sine("e1", T0 + i * 1000L, i);
            }
            harness.tick(WAIT);
            List<AnomalyDescriptor> got = harness.scores.readValuesToList();
            assertEquals(5, got.size());
            got.forEach(d -> assertNull(d.innovationLogDensity()));
            assertFalse(got.get(4).warmingUp());
        }
    }
}
