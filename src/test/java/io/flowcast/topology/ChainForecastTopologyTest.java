package io.flowcast.topology;

import static io.flowcast.topology.TopologyHarness.NOW;
import static io.flowcast.topology.TopologyHarness.T0;
import static io.flowcast.topology.TopologyHarness.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.TopicNames;
import io.flowcast.flow.ContextSpec;
import io.flowcast.serving.StreamProfile;
import io.flowcast.serving.WarmupModelCatalog;
import io.flowcast.trajectory.ChainLayout;
import io.flowcast.trajectory.ChainModelFiles;
import io.flowcast.trajectory.ChainPathForecaster;
import io.flowcast.trajectory.PathForecast;
import io.flowcast.trajectory.RandomChains;
import io.flowcast.trajectory.RapidUpdateConfig;
import io.flowcast.trajectory.WeightedPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forecasts from a real flow chain served by ONNX Runtime (an untrained chain from a fixed seed, exported to files and
 * read back as the service would), with the rapid update in the track state. Every published record is checked
 * against an independent replay of the same steps: the model called directly, {@link WeightedPaths} re-weighted
 * directly.
 */
class ChainForecastTopologyTest {

    private static final StreamProfile WALK = new StreamProfile("pedestrians", List.of("x", "y"),
            new ContextSpec(2, false), 0.05);
    private static final ModelRef CHAIN = new ModelRef("pedestrians.chain", 3);
    private static final int OBSERVED = 3;
    private static final int HORIZONS = 6;
    private static final int SAMPLES = 16;

    @TempDir
    static Path modelDir;
    private static ChainPathForecaster chain;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void exportAndServe() throws Exception {
        ChainLayout layout = new ChainLayout(OBSERVED, HORIZONS, 0.4);
        ChainModelFiles.write(modelDir.resolve("chain"), RandomChains.of(layout, 42), CHAIN, 0.4);
        chain = ChainPathForecaster.open(ChainModelFiles.read(modelDir.resolve("chain")));
    }

    @AfterAll
    static void close() {
        chain.close();
    }

    /** Walks +x at 0.5 m per step with a slight curve; position {@code turnAt} on jumps 1.5 m sideways. */
    private static List<double[]> walk(int steps, int turnAt) {
        List<double[]> positions = new ArrayList<>();
        double y = 0;
        for (int t = 0; t < steps; t++) {
            if (t == turnAt) {
                y += 1.5;
            }
            positions.add(new double[] {0.5 * t, y + 0.01 * t * t});
        }
        return positions;
    }

    private List<ForecastRecord> run(Path dir, RapidUpdateConfig rapid, List<double[]> positions, int from, int to) {
        return run(dir, rapid, positions, from, to, new java.util.HashMap<>());
    }

    /**
     * Pipes positions {@code from} until {@code to}; {@code changelog} holds the track store's changelog: restored
     * into the store first (as a new instance restores it), then extended by this run's writes.
     */
    private List<ForecastRecord> run(Path dir, RapidUpdateConfig rapid, List<double[]> positions, int from, int to,
            java.util.Map<String, byte[]> changelog) {
        return run(dir, chain, rapid, positions, from, to, changelog);
    }

    private List<ForecastRecord> runWith(io.flowcast.trajectory.PathForecaster model, RapidUpdateConfig rapid,
            List<double[]> positions, int from, int to, java.util.Map<String, byte[]> changelog) {
        return run(stateDir.resolve("run-" + from), model, rapid, positions, from, to, changelog);
    }

    private List<ForecastRecord> run(Path dir, io.flowcast.trajectory.PathForecaster model, RapidUpdateConfig rapid,
            List<double[]> positions, int from, int to, java.util.Map<String, byte[]> changelog) {
        return run(dir, new Forecasting(model, SAMPLES, rapid), positions, from, to, changelog);
    }

    private List<ForecastRecord> run(Path dir, Forecasting forecasting, List<double[]> positions, int from, int to,
            java.util.Map<String, byte[]> changelog) {
        ScoringTopology.Options options = new ScoringTopology.Options(8, Duration.ofMinutes(10), 4096,
                "pedestrians").withBatching(1, Duration.ofMillis(5)).withForecasting(forecasting);
        try (TopologyHarness harness = new TopologyHarness(new WarmupModelCatalog(List.of(WALK), 50, 50, 1e-3),
                options, dir)) {
            TestOutputTopic<String, ForecastRecord> forecasts = harness.driver.createOutputTopic(
                    TopicNames.FORECASTS, new StringDeserializer(), Topics.FORECASTS.valueSerde().deserializer());
            TestOutputTopic<String, byte[]> trackChanges = harness.driver.createOutputTopic(
                    "topology-harness-" + ScoringTopology.TRACK_STORE + "-changelog", new StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            org.apache.kafka.streams.state.KeyValueStore<String, TrackState> tracks =
                    harness.driver.getKeyValueStore(ScoringTopology.TRACK_STORE);
            TrackStateSerde serde = new TrackStateSerde();
            changelog.forEach((key, value) -> tracks.put(key, serde.deserializer().deserialize("", value)));
            // A new driver numbers offsets from 0 again: another agent's records take the offsets before
            // {@code from}, so agent a's records keep theirs (its samples are seeded by them).
            for (int t = 0; t < from; t++) {
                harness.trajectories.pipeInput(new TestRecord<>(bytes("z"), bytes("{\"entityId\":\"z\",\"eventTime\":"
                        + (T0 + 400L * t) + ",\"position\":{\"x\":50,\"y\":" + t + "}}"),
                        Instant.ofEpochMilli(T0 + 400L * t)));
            }
            for (int t = from; t < to; t++) {
                long time = T0 + 400L * t;
                double[] p = positions.get(t);
                harness.trajectories.pipeInput(new TestRecord<>(bytes("a"), bytes("{\"entityId\":\"a\",\"eventTime\":"
                        + time + ",\"position\":{\"x\":" + p[0] + ",\"y\":" + p[1] + "}}"), Instant.ofEpochMilli(time)));
            }
            harness.tick(Duration.ofMillis(5));
            trackChanges.readRecordsToList().forEach(r -> changelog.put(r.key(), r.value()));
            List<TestRecord<String, ForecastRecord>> records = forecasts.readRecordsToList();
            records.forEach(r -> TopologyHarness.assertMeetsContract(TopicNames.FORECASTS,
                    Topics.FORECASTS.valueSerde().serializer().serialize(TopicNames.FORECASTS, r.value())));
            return records.stream().map(TestRecord::value).filter(r -> r.entityId().equals("a")).toList();
        }
    }

    /**
     * The topology's decisions and outputs, replayed step by step outside it: the model forecast for position t
     * (offset t on partition 0), the stored samples re-weighted by each following position, and the model's exact
     * density of a position that brings a new run.
     */
    private static List<ForecastRecord> replay(RapidUpdateConfig rapid, List<double[]> positions) {
        return replay(rapid, positions, true);
    }

    private static List<ForecastRecord> replay(RapidUpdateConfig rapid, List<double[]> positions, boolean exact) {
        List<ForecastRecord> out = new ArrayList<>();
        WeightedPaths paths = null;
        float[] history = null;
        List<double[]> since = new ArrayList<>();
        for (int t = OBSERVED - 1; t < positions.size(); t++) {
            double[] p = positions.get(t);
            SourceRef source = new SourceRef(TopicNames.TRAJECTORIES, 0, t);
            Double score = null;
            if (paths != null) {
                WeightedPaths.Update update = paths.observe(since.size() + 1, p[0], p[1], rapid);
                since.add(p);
                score = update.logDensity();
                if (!update.next().needsRerun(rapid)) {
                    paths = update.next();
                    PathForecast rest = paths.remainingForecast(rapid);
                    out.add(expected(t, source, rest, score, ForecastRecord.REWEIGHTED, paths.weights(),
                            paths.effectiveSampleSize()));
                    continue;
                }
                float[] observed = new float[2 * since.size()];
                for (int i = 0; i < since.size(); i++) {
                    observed[2 * i] = (float) since.get(i)[0];
                    observed[2 * i + 1] = (float) since.get(i)[1];
                }
                if (exact) {
                    score = chain.nextLogDensities(List.of(history), List.of(observed))[0];
                }
            }
            history = new float[2 * OBSERVED];
            for (int i = 0; i < OBSERVED; i++) {
                history[2 * i] = (float) positions.get(t - OBSERVED + 1 + i)[0];
                history[2 * i + 1] = (float) positions.get(t - OBSERVED + 1 + i)[1];
            }
            PathForecast forecast = chain.forecast(List.of(history), new long[] {BatchScorer.seed(source)}, SAMPLES)
                    .get(0);
            paths = WeightedPaths.of(forecast);
            since.clear();
            out.add(expected(t, source, paths.remainingForecast(rapid), score, ForecastRecord.MODEL, null, SAMPLES));
        }
        return out;
    }

    private static ForecastRecord expected(int t, SourceRef source, PathForecast forecast, Double score,
            String update, double[] weights, double ess) {
        float[][][] samples = new float[forecast.samples()][forecast.horizons()][];
        float[][] likely = new float[forecast.horizons()][];
        for (int s = 0; s < forecast.samples(); s++) {
            for (int h = 0; h < forecast.horizons(); h++) {
                int at = s * 2 * forecast.horizons() + 2 * h;
                samples[s][h] = new float[] {forecast.paths()[at], forecast.paths()[at + 1]};
                likely[h] = new float[] {forecast.mostLikely()[2 * h], forecast.mostLikely()[2 * h + 1]};
            }
        }
        return new ForecastRecord("a", T0 + 400L * t, source, CHAIN, 0.4, forecast.horizons(), samples, likely,
                List.of(), score, update, NOW, weights, ess);
    }

    private static void assertSame(List<ForecastRecord> expected, List<ForecastRecord> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            ForecastRecord e = expected.get(i);
            ForecastRecord a = actual.get(i);
            String at = "record " + i + " (" + a.update() + ")";
            assertEquals(e.eventTime(), a.eventTime(), at);
            assertEquals(e.source(), a.source(), at);
            assertEquals(CHAIN, a.model(), at);
            assertEquals(e.update(), a.update(), at);
            assertEquals(e.horizonSteps(), a.horizonSteps(), at);
            assertEquals(e.horizonSteps(), a.horizons().size(), at);
            assertTrue(Arrays.deepEquals(e.samples(), a.samples()), at);
            assertTrue(Arrays.deepEquals(e.mostLikely(), a.mostLikely()), at);
            assertEquals(e.observedLogDensity(), a.observedLogDensity(), at);
            assertArrayEquals(e.sampleWeights(), a.sampleWeights(), at);
            assertEquals(e.effectiveSampleSize(), a.effectiveSampleSize(), at);
        }
    }

    private static List<String> kinds(List<ForecastRecord> records) {
        return records.stream().map(ForecastRecord::update).toList();
    }

    @Test
    void withoutTheEssTriggerTheChainRunsEveryMaxStepsPositionsAndReweightsBetween() {
        RapidUpdateConfig rapid = new RapidUpdateConfig(0.0, 3, 0.05);
        List<double[]> positions = walk(12, -1);
        List<ForecastRecord> out = run(stateDir, rapid, positions, 0, positions.size());
        // Positions 0-1 fill the history; 2 runs the model; 2 re-weighted positions, then the 3rd runs it again.
        assertEquals(List.of("MODEL", "REWEIGHTED", "REWEIGHTED", "MODEL", "REWEIGHTED", "REWEIGHTED", "MODEL",
                "REWEIGHTED", "REWEIGHTED", "MODEL"), kinds(out));
        assertSame(replay(rapid, positions), out);
        assertNull(out.get(0).observedLogDensity()); // the first forecast has nothing to score against
        assertNull(out.get(0).sampleWeights()); // a model run's samples are unweighted draws
        assertEquals(HORIZONS, out.get(0).horizonSteps());
        // A re-weighted forecast starts at the new position: one step fewer left per re-weighting.
        assertEquals(HORIZONS - 1, out.get(1).horizonSteps());
        assertEquals(HORIZONS - 2, out.get(2).horizonSteps());
        for (ForecastRecord record : out.subList(1, out.size())) {
            assertNotNull(record.observedLogDensity(), "every position after the first forecast has a score");
            assertTrue(Double.isFinite(record.observedLogDensity()));
        }
        double weightSum = Arrays.stream(out.get(2).sampleWeights()).sum();
        assertEquals(1.0, weightSum, 1e-9);
    }

    @Test
    void aSidewaysJumpCollapsesTheWeightsAndTheChainRunsAgainAtOnce() {
        RapidUpdateConfig rapid = new RapidUpdateConfig(0.3, HORIZONS, 0.05);
        List<double[]> positions = walk(10, 6);
        List<ForecastRecord> out = run(stateDir, rapid, positions, 0, positions.size());
        assertSame(replay(rapid, positions), out);
        // Position 6 (record 4) jumps 1.5 m off every sample: the weights degenerate, the model runs. (On the walk,
        // a first re-weighting leaves an ESS of about 6.3 of 16, over the threshold of 4.8.)
        ForecastRecord jump = out.get(4);
        assertEquals(T0 + 400L * 6, jump.eventTime());
        assertEquals("MODEL", jump.update());
        assertTrue(out.subList(1, 4).stream().anyMatch(r -> r.update().equals("REWEIGHTED")),
                "the walk before the jump is re-weighted: " + kinds(out));
        // The score of the jump is the chain's exact density, far below the walk's.
        assertTrue(jump.observedLogDensity() < out.get(1).observedLogDensity() - 10, kinds(out).toString());
    }

    @Test
    void withExactScoresOffAPositionThatBringsAModelRunIsScoredByTheSamplesKernel() {
        RapidUpdateConfig rapid = new RapidUpdateConfig(0.0, 3, 0.05);
        List<double[]> positions = walk(9, -1);
        List<ForecastRecord> exact = run(stateDir.resolve("exact"), rapid, positions, 0, positions.size());
        List<ForecastRecord> kernel = run(stateDir.resolve("kernel"), new Forecasting(chain, SAMPLES, rapid, false),
                positions, 0, positions.size(), new java.util.HashMap<>());
        assertSame(replay(rapid, positions, false), kernel);
        assertEquals("MODEL", kernel.get(3).update());
        // Same forecasts, a different score on the model run only.
        assertTrue(!exact.get(3).observedLogDensity().equals(kernel.get(3).observedLogDensity()));
        assertEquals(exact.get(2).observedLogDensity(), kernel.get(2).observedLogDensity());
    }

    @Test
    void aRestartOnTheStoredStateContinuesExactlyAsWithoutIt() {
        RapidUpdateConfig rapid = new RapidUpdateConfig(0.0, 4, 0.05);
        List<double[]> positions = walk(12, -1);
        List<ForecastRecord> straight = run(stateDir.resolve("straight"), rapid, positions, 0, positions.size());
        java.util.Map<String, byte[]> changelog = new java.util.HashMap<>();
        List<ForecastRecord> restarted = new ArrayList<>(run(stateDir.resolve("first"), rapid, positions, 0, 5,
                changelog));
        assertEquals(List.of("MODEL", "REWEIGHTED", "REWEIGHTED"), kinds(restarted));
        assertTrue(changelog.containsKey("pedestrians/a"), changelog.keySet().toString());
        // A new instance on empty local state restores the track store from its changelog (the serde's bytes): the
        // re-weighted samples come back, and the forecasts go on as if nothing had happened.
        restarted.addAll(run(stateDir.resolve("second"), rapid, positions, 5, positions.size(), changelog));
        assertSame(straight, restarted);
        assertEquals("REWEIGHTED", restarted.get(3).update());
    }

    @Test
    void aChainSwappedInForTheConstantVelocityModelNamesItselfFromItsFirstRun() {
        io.flowcast.trajectory.SwappableForecaster swappable = new io.flowcast.trajectory.SwappableForecaster(
                new io.flowcast.trajectory.ConstantVelocityForecaster(
                        io.flowcast.trajectory.ConstantVelocityGaussian.growing(HORIZONS, 0.1),
                        new ModelRef("pedestrians.constant-velocity", 1), OBSERVED, 0.4), 0);
        RapidUpdateConfig rapid = new RapidUpdateConfig(0.0, 3, 0.05);
        List<double[]> positions = walk(9, -1);
        java.util.Map<String, byte[]> changelog = new java.util.HashMap<>();
        List<ForecastRecord> before = runWith(swappable, rapid, positions, 0, 5, changelog);
        assertEquals(List.of("MODEL", "MODEL", "MODEL"), kinds(before));
        before.forEach(r -> assertEquals(new ModelRef("pedestrians.constant-velocity", 1), r.model()));
        assertNull(before.get(2).sampleWeights());
        swappable.swap(chain);
        List<ForecastRecord> after = runWith(swappable, rapid, positions, 5, positions.size(), changelog);
        // The constant-velocity forecast left no samples: the chain runs on the first position after the swap,
        // that position scored under the constant-velocity Gaussian, then re-weights.
        assertEquals(List.of("MODEL", "REWEIGHTED", "REWEIGHTED", "MODEL"), kinds(after));
        after.forEach(r -> assertEquals(CHAIN, r.model()));
        assertNotNull(after.get(0).observedLogDensity());
    }
}
