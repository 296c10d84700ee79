package io.flowcast.topology;

import static io.flowcast.topology.TopologyHarness.NOW;
import static io.flowcast.topology.TopologyHarness.T0;
import static io.flowcast.topology.TopologyHarness.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.TopicNames;
import io.flowcast.flow.ContextSpec;
import io.flowcast.serving.StreamProfile;
import io.flowcast.serving.WarmupModelCatalog;
import io.flowcast.trajectory.ConstantVelocityForecaster;
import io.flowcast.trajectory.ConstantVelocityGaussian;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forecasts per trajectory update through the real topology, with the constant-velocity Gaussian as the model. */
class ForecastTopologyTest {

    private static final StreamProfile WALK = new StreamProfile("pedestrians", List.of("x", "y"),
            new ContextSpec(2, false), 0.05);
    private static final ModelRef CV = new ModelRef("pedestrians.constant-velocity", 1);
    /** 3 positions of history, 4 steps of 0.4 s ahead, spread 0.1 m per step, 5 sampled paths. */
    private static final Forecasting FORECASTING = new Forecasting(new ConstantVelocityForecaster(
            ConstantVelocityGaussian.growing(4, 0.1), CV, 3, 0.4), 5);

    @TempDir
    Path stateDir;

    private List<ForecastRecord> run(int maxBatch, Path dir, List<Object[]> positions) {
        ScoringTopology.Options options = new ScoringTopology.Options(8, Duration.ofMinutes(10), 4096,
                "pedestrians").withBatching(maxBatch, Duration.ofMillis(5)).withForecasting(FORECASTING);
        try (TopologyHarness harness = new TopologyHarness(new WarmupModelCatalog(List.of(WALK), 50, 50, 1e-3),
                options, dir)) {
            TestOutputTopic<String, ForecastRecord> forecasts = harness.driver.createOutputTopic(
                    TopicNames.FORECASTS, new StringDeserializer(), Topics.FORECASTS.valueSerde().deserializer());
            for (Object[] p : positions) {
                String agent = (String) p[0];
                long time = (Long) p[1];
                harness.trajectories.pipeInput(new TestRecord<>(bytes(agent), bytes("{\"entityId\":\"" + agent
                        + "\",\"eventTime\":" + time + ",\"position\":{\"x\":" + p[2] + ",\"y\":" + p[3] + "}}"),
                        Instant.ofEpochMilli(time)));
            }
            harness.tick(Duration.ofMillis(5));
            assertEquals(positions.size(), harness.scores.readValuesToList().size());
            List<TestRecord<String, ForecastRecord>> records = forecasts.readRecordsToList();
            records.forEach(r -> assertEquals(r.value().entityId(), r.key()));
            records.forEach(r -> TopologyHarness.assertMeetsContract(TopicNames.FORECASTS,
                    Topics.FORECASTS.valueSerde().serializer().serialize(TopicNames.FORECASTS, r.value())));
            return records.stream().map(TestRecord::value).toList();
        }
    }

    /** Agent a walks +x at 1 m per step, agent b walks +y at 0.5 m per step; interleaved. */
    private static List<Object[]> twoWalkers(int steps) {
        List<Object[]> positions = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            positions.add(new Object[] {"a", T0 + 400L * t, (double) t, 0.0});
            positions.add(new Object[] {"b", T0 + 400L * t, 5.0, 0.5 * t});
        }
        return positions;
    }

    @Test
    void eachUpdateOnceTheHistoryIsFullIsForecastAndTheNextPositionIsScoredUnderIt() {
        List<ForecastRecord> out = run(1, stateDir, twoWalkers(5));
        // Positions 0 and 1 of each agent fill the history; 2, 3 and 4 are forecast.
        assertEquals(6, out.size());
        ForecastRecord first = out.get(0);
        assertEquals("a", first.entityId());
        assertEquals(T0 + 800, first.eventTime());
        assertEquals(new SourceRef(TopicNames.TRAJECTORIES, 0, 4), first.source());
        assertEquals(CV, first.model());
        assertEquals(0.4, first.stepSeconds());
        assertEquals(4, first.horizonSteps());
        assertEquals(5, first.samples().length);
        assertEquals("MODEL", first.update());
        assertEquals(NOW, first.forecastAt());
        assertNull(first.observedLogDensity()); // an agent's first forecast has nothing to score against
        for (int h = 1; h <= 4; h++) {
            ForecastRecord.Horizon horizon = first.horizons().get(h - 1);
            assertEquals(h, horizon.step());
            assertEquals(2.0 + h, horizon.mean()[0], 1e-9);
            assertEquals(0.0, horizon.mean()[1], 1e-9);
            assertEquals(Math.pow(0.1 * h, 2), horizon.covariance()[0][0], 1e-12);
            assertEquals(0.0, horizon.covariance()[0][1], 1e-12);
            assertEquals(Math.pow(0.1 * h, 2), horizon.covariance()[1][1], 1e-12);
            assertEquals(2.0f + h, first.mostLikely()[h - 1][0]);
            // Every sampled path is a straight walk: its offset from the mean grows linearly with the horizon.
            for (float[][] path : first.samples()) {
                assertEquals((path[0][0] - 3.0) * h, path[h - 1][0] - (2.0 + h), 1e-4);
                assertEquals(path[0][1] * h, path[h - 1][1], 1e-4);
            }
        }
        // The next position lies on the forecast mean one step ahead: log N(0; 0, 0.01 I) = -log(2 pi) - log(0.01).
        ForecastRecord second = out.get(2);
        assertEquals("a", second.entityId());
        assertEquals(-Math.log(2 * Math.PI) - Math.log(0.01), second.observedLogDensity(), 1e-9);
        assertEquals("b", out.get(3).entityId());
        assertEquals(-Math.log(2 * Math.PI) - Math.log(0.01), out.get(3).observedLogDensity(), 1e-9);
    }

    @Test
    void aBatchHoldingSeveralPositionsOfAnAgentForecastsExactlyAsOneByOne() {
        List<Object[]> positions = twoWalkers(6);
        positions.add(new Object[] {"a", T0 + 400L * 6, 6.3, 0.4}); // off the line: a lower density
        List<ForecastRecord> single = run(1, stateDir.resolve("single"), positions);
        List<ForecastRecord> batched = run(64, stateDir.resolve("batched"), positions);
        assertEquals(single.size(), batched.size());
        for (int i = 0; i < single.size(); i++) {
            assertEquals(single.get(i).source(), batched.get(i).source());
            assertEquals(single.get(i).observedLogDensity(), batched.get(i).observedLogDensity());
            assertEquals(single.get(i).horizons().get(3).mean()[0], batched.get(i).horizons().get(3).mean()[0]);
            assertTrue(java.util.Arrays.deepEquals(single.get(i).samples(), batched.get(i).samples()));
        }
        ForecastRecord last = batched.get(batched.size() - 1);
        double dx = 0.3;
        double dy = 0.4;
        assertEquals(-Math.log(2 * Math.PI) - Math.log(0.01) - 0.5 * (dx * dx + dy * dy) / 0.01,
                last.observedLogDensity(), 1e-4);
    }

    @Test
    void aLongSilenceRestartsTheTrack() {
        List<Object[]> positions = new ArrayList<>(twoWalkers(3).stream().filter(p -> p[0].equals("a")).toList());
        long late = T0 + Duration.ofMinutes(11).toMillis();
        positions.add(new Object[] {"a", late, 10.0, 0.0});
        positions.add(new Object[] {"a", late + 400, 11.0, 0.0});
        positions.add(new Object[] {"a", late + 800, 12.0, 0.0});
        List<ForecastRecord> out = run(1, stateDir, positions);
        assertEquals(List.of(T0 + 800, late + 800), out.stream().map(ForecastRecord::eventTime).toList());
        assertNull(out.get(1).observedLogDensity());
    }
}
