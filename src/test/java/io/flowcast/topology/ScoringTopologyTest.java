package io.flowcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.RecordScore;
import io.flowcast.anomaly.RecordScorer;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.DlqReason;
import io.flowcast.contract.ExportedMetric;
import io.flowcast.contract.TopicContracts;
import io.flowcast.contract.TopicNames;
import io.flowcast.contract.ValidationResult;
import io.flowcast.contract.Violation;
import io.flowcast.flow.ConditionalDensity;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.GaussianDensity;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.StreamModel;
import io.flowcast.serving.StreamProfile;
import io.flowcast.serving.WarmupModelCatalog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real topology, driven record by record; every assertion is on the exact records it publishes. */
class ScoringTopologyTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final long T0 = 1_699_999_000_000L;
    private static final int FIT = 20;
    private static final int HOLDOUT = 10;
    private static final ContextSpec CONTEXT = new ContextSpec(2, false);
    private static final StreamProfile SINE = new StreamProfile("test-sine", List.of("value"), CONTEXT, 0.05);
    private static final StreamProfile PAIR = new StreamProfile("test-pair", List.of("a", "b"), CONTEXT, 0.05);
    private static final StreamProfile WALK = new StreamProfile("pedestrians", List.of("x", "y"), CONTEXT, 0.05);
    private static final ScoringTopology.Options OPTIONS =
            new ScoringTopology.Options(16, Duration.ofMinutes(10), 2048, "pedestrians");

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> events;
    private TestInputTopic<byte[], byte[]> trajectories;
    private TestOutputTopic<String, AnomalyDescriptor> scores;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;

    private void start(ModelCatalog catalog) {
        Topology topology = ScoringTopology.build(catalog, OPTIONS, new ScoringMetrics(registry),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "scoring-topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, config);
        events = driver.createInputTopic(TopicNames.EVENTS, new ByteArraySerializer(), new ByteArraySerializer());
        trajectories = driver.createInputTopic(TopicNames.TRAJECTORIES, new ByteArraySerializer(),
                new ByteArraySerializer());
        scores = driver.createOutputTopic(TopicNames.SCORES, new StringDeserializer(),
                Topics.SCORES.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(TopicNames.DLQ, new ByteArrayDeserializer(),
                Topics.DLQ.valueSerde().deserializer());
    }

    private void startLearning() {
        start(new WarmupModelCatalog(List.of(SINE, PAIR, WALK), FIT, HOLDOUT, 1e-3));
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void anEntitysFirstRecordIsPublishedAsWarmingUp() {
        startLearning();
        pipeEvent("e1", sineEvent("e1", T0, 0.25), T0);

        TestRecord<String, AnomalyDescriptor> out = scores.readRecord();
        assertEquals("e1", out.key());
        assertEquals(T0, out.timestamp());
        assertEquals(new AnomalyDescriptor("e1", T0, "test-sine", new SourceRef(TopicNames.EVENTS, 0, 0), null, null,
                null, null, null, false, true, null, null, null, NOW), out.value());
        assertTrue(scores.isEmpty());
        assertEquals(1.0, count(ExportedMetric.RECORDS_IN, "topic", TopicNames.EVENTS));
        assertEquals(1.0, count(ExportedMetric.RECORDS_OUT, "topic", TopicNames.SCORES));
        assertEquals(0.0, count(ExportedMetric.RECORDS_SCORED, "stream", "test-sine"));
    }

    @Test
    void aStreamIsScoredByItsFittedModelOnceItHasSeenEnoughRecords() {
        startLearning();
        int n = 40;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (Math.sin(i / 3.0) + 0.05 * Math.cos(i * 7.0));
            pipeEvent("e1", sineEvent("e1", T0 + i * 1000L, values[i]), T0 + i * 1000L);
        }
        List<AnomalyDescriptor> out = scores.readValuesToList();
        assertEquals(n, out.size());
        out.forEach(descriptor -> assertMeetsContract(TopicNames.SCORES, descriptor));

        // Two records fill the window; the next FIT + HOLDOUT train and calibrate; the rest are scored.
        int firstScored = 2 + FIT + HOLDOUT;
        for (int i = 0; i < firstScored; i++) {
            assertTrue(out.get(i).warmingUp(), "record " + i);
            assertEquals(null, out.get(i).model());
        }
        // The same model, fitted here from the same pairs, gives exactly the published descriptors.
        float[] x = new float[FIT];
        float[] c = new float[FIT * 3];
        float[] heldX = new float[HOLDOUT];
        float[] heldC = new float[HOLDOUT * 3];
        for (int i = 2; i < firstScored; i++) {
            boolean fit = i - 2 < FIT;
            int row = fit ? i - 2 : i - 2 - FIT;
            float[] context = CONTEXT.build(new float[] {values[i - 2], values[i - 1]}, 2, 1, 0, 0);
            System.arraycopy(context, 0, fit ? c : heldC, row * 3, 3);
            (fit ? x : heldX)[row] = values[i];
        }
        GaussianDensity density = GaussianDensity.fit(x, c, FIT, 1, 3, 1e-3);
        float[] heldLogProbs = density.logProb(heldX, heldC, HOLDOUT);
        double[] heldScores = new double[HOLDOUT];
        for (int i = 0; i < HOLDOUT; i++) {
            heldScores[i] = -heldLogProbs[i];
        }
        HeldOutCalibration calibration = HeldOutCalibration.of(heldScores);
        RecordScorer scorer = new RecordScorer(OPTIONS.expectedSamples());
        for (int i = firstScored; i < n; i++) {
            SourceRef source = new SourceRef(TopicNames.EVENTS, 0, i);
            float[] context = CONTEXT.build(new float[] {values[i - 2], values[i - 1]}, 2, 1, 0, 0);
            RecordScore score = scorer.score(density, calibration, SINE.threshold(), SINE.features(),
                    new float[] {values[i]}, context, BatchScorer.seed(source));
            assertEquals(AnomalyDescriptor.scored("e1", T0 + i * 1000L, "test-sine", source,
                    new ModelRef("test-sine.linear-gaussian", 1), score, Map.of(), NOW), out.get(i), "record " + i);
        }
        assertEquals(n - firstScored, count(ExportedMetric.RECORDS_SCORED, "stream", "test-sine"));
        assertEquals(n, count(ExportedMetric.RECORDS_OUT, "topic", TopicNames.SCORES));
        assertEquals(out.stream().filter(AnomalyDescriptor::anomalous).count(),
                count(ExportedMetric.ANOMALIES, "stream", "test-sine"));
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void eachKindOfBadRecordIsDeadLetteredWithItsReasonAndTheStreamGoesOn() {
        startLearning();
        byte[] truncated = "{\"entityId\":\"e1\",\"eventTime\":".getBytes(StandardCharsets.UTF_8);
        byte[] textTime = json("{\"entityId\":\"e1\",\"eventTime\":\"noon\",\"stream\":\"test-sine\","
                + "\"features\":{\"value\":1}}");
        byte[] unknown = json("{\"entityId\":\"e1\",\"eventTime\":" + T0 + ",\"stream\":\"nope\","
                + "\"features\":{\"value\":1}}");
        byte[] missing = json("{\"entityId\":\"e1\",\"eventTime\":" + T0 + ",\"stream\":\"test-pair\","
                + "\"features\":{\"a\":1}}");
        byte[] wrongKey = sineEvent("e1", T0, 1);
        byte[] oversized = json("{\"entityId\":\"e1\",\"eventTime\":" + T0 + ",\"stream\":\"test-sine\","
                + "\"features\":{\"value\":1},\"attributes\":{\"note\":\"" + "x".repeat(2100) + "\"}}");
        pipeEvent("e1", truncated, T0);
        pipeEvent("e1", textTime, T0);
        pipeEvent("e1", unknown, T0);
        pipeEvent("e1", missing, T0);
        pipeEvent("e2", wrongKey, T0);
        pipeEvent("e1", null, T0);
        pipeEvent("e1", oversized, T0);
        pipeEvent("e1", sineEvent("e1", T0 + 1, 0.5), T0 + 1);

        List<TestRecord<byte[], DeadLetter>> letters = deadLetters.readRecordsToList();
        assertEquals(7, letters.size());
        letters.forEach(letter -> assertMeetsContract(TopicNames.DLQ, letter.value()));
        assertEquals(contractRejection(truncated, 0), letters.get(0).value());
        assertEquals(DlqReason.MALFORMED_JSON, letters.get(0).value().reason());
        assertEquals(contractRejection(textTime, 1), letters.get(1).value());
        assertEquals(DlqReason.SCHEMA_VIOLATION, letters.get(1).value().reason());
        assertEquals(letter(unknown, "e1", 2, DlqReason.UNKNOWN_STREAM,
                "stream 'nope' is not scored here; configured streams: [pedestrians, test-pair, test-sine]"),
                letters.get(2).value());
        assertEquals(letter(missing, "e1", 3, DlqReason.MISSING_FEATURE,
                "stream 'test-pair' needs features [a, b]; the record lacks [b]"), letters.get(3).value());
        assertEquals(letter(wrongKey, "e2", 4, DlqReason.SCHEMA_VIOLATION,
                "the record key 'e2' is not its entityId 'e1': per-entity state needs both equal"),
                letters.get(4).value());
        assertEquals(new DeadLetter(null, b64("e1".getBytes(StandardCharsets.UTF_8)), T0,
                new SourceRef(TopicNames.EVENTS, 0, 5), DlqReason.SCHEMA_VIOLATION,
                "the record has no value (a tombstone)", null, NOW), letters.get(5).value());
        assertEquals(contractRejection(oversized, 6), letters.get(6).value());
        assertEquals(DlqReason.OVERSIZED, letters.get(6).value().reason());
        // The DLQ record is keyed by the original key bytes.
        assertEquals("e2", new String(letters.get(4).key(), StandardCharsets.UTF_8));

        List<AnomalyDescriptor> published = scores.readValuesToList();
        assertEquals(1, published.size());
        assertEquals(new SourceRef(TopicNames.EVENTS, 0, 7), published.get(0).source());
        for (DlqReason reason : List.of(DlqReason.MALFORMED_JSON, DlqReason.UNKNOWN_STREAM,
                DlqReason.MISSING_FEATURE, DlqReason.OVERSIZED)) {
            assertEquals(1.0, count(ExportedMetric.DLQ_RECORDS, "reason", reason.name()), reason.name());
        }
        assertEquals(3.0, count(ExportedMetric.DLQ_RECORDS, "reason", "SCHEMA_VIOLATION"));
        assertEquals(0.0, count(ExportedMetric.DLQ_RECORDS, "reason", "PROCESSING_ERROR"));
        assertEquals(7.0, count(ExportedMetric.RECORDS_OUT, "topic", TopicNames.DLQ));
        assertEquals(8.0, count(ExportedMetric.RECORDS_IN, "topic", TopicNames.EVENTS));
    }

    @Test
    void aModelThatFailsOnARecordDeadLettersItAndScoresTheNext() {
        // A catalog serving a fixed model (no learning): the topology is indifferent to where models come from.
        ConditionalDensity failsAbove100 = new FailingAbove(GaussianDensity.fit(new float[] {0, 1, 2, 3},
                new float[] {0, 1, 2, 3, 1, 2, 3, 4, 1, 1, 1, 1}, 4, 1, 3, 1e-3), 100);
        StreamModel model = new StreamModel("fixed", 7, List.of("value"), CONTEXT, failsAbove100,
                HeldOutCalibration.of(new double[] {1, 2, 3}));
        start(new FixedCatalog(SINE, model));
        pipeEvent("e1", sineEvent("e1", T0, 1), T0);
        pipeEvent("e1", sineEvent("e1", T0 + 1000, 2), T0 + 1000);
        pipeEvent("e1", sineEvent("e1", T0 + 2000, 500), T0 + 2000);
        pipeEvent("e1", sineEvent("e1", T0 + 3000, 3), T0 + 3000);

        List<AnomalyDescriptor> out = scores.readValuesToList();
        assertEquals(3, out.size());
        assertEquals(new ModelRef("fixed", 7), out.get(0).model());
        assertTrue(out.get(0).warmingUp());
        assertTrue(out.get(1).warmingUp());
        assertEquals(false, out.get(2).warmingUp());
        assertEquals(new SourceRef(TopicNames.EVENTS, 0, 3), out.get(2).source());
        DeadLetter letter = deadLetters.readValue();
        assertEquals(DlqReason.PROCESSING_ERROR, letter.reason());
        assertEquals(new SourceRef(TopicNames.EVENTS, 0, 2), letter.source());
        assertEquals("IllegalStateException: value 500.0 is out of range", letter.detail());
    }

    @Test
    void trajectoriesAreScoredAsPositionsOfTheirStream() {
        startLearning();
        String noStream = "{\"entityId\":\"ped-1\",\"eventTime\":" + T0 + ",\"position\":{\"x\":1.5,\"y\":2.0},"
                + "\"attributes\":{\"confidence\":0.9,\"label\":null}}";
        trajectories.pipeInput(new TestRecord<>(bytes("ped-1"), json(noStream), Instant.ofEpochMilli(T0)));

        assertEquals(new AnomalyDescriptor("ped-1", T0, "pedestrians", new SourceRef(TopicNames.TRAJECTORIES, 0, 0),
                null, null, null, null, null, false, true, null, null, Map.of("confidence", "0.9"), NOW),
                scores.readValue());
        // A trajectory naming a stream that is not configured is rejected like any event.
        String unknown = "{\"entityId\":\"ped-1\",\"eventTime\":" + T0 + ",\"position\":{\"x\":1,\"y\":2},"
                + "\"stream\":\"cars\"}";
        trajectories.pipeInput(new TestRecord<>(bytes("ped-1"), json(unknown), Instant.ofEpochMilli(T0)));
        assertEquals(DlqReason.UNKNOWN_STREAM, deadLetters.readValue().reason());
    }

    @Test
    void anEntitySilentForLongerThanTheMaximumGapWarmsUpAgain() {
        startLearning();
        pipeEvent("e1", sineEvent("e1", T0, 1), T0);
        pipeEvent("e1", sineEvent("e1", T0 + 1000, 2), T0 + 1000);
        pipeEvent("e1", sineEvent("e1", T0 + 2000, 3), T0 + 2000);
        long late = T0 + 2000 + Duration.ofMinutes(11).toMillis();
        pipeEvent("e1", sineEvent("e1", late, 4), late);
        pipeEvent("e1", sineEvent("e1", late + 1000, 5), late + 1000);

        List<AnomalyDescriptor> out = scores.readValuesToList();
        // Record 2 had a full window and went to training; after the gap the window must fill again.
        EntityHistory stored = driver.<String, EntityHistory>getKeyValueStore(ScoringTopology.EVENT_HISTORY_STORE)
                .get("test-sine/e1");
        assertEquals(late + 1000, stored.lastEventTime());
        assertArrayEquals(new float[] {4, 5}, stored.values());
        assertEquals(5, out.size());
        assertTrue(out.stream().allMatch(AnomalyDescriptor::warmingUp));
    }

    /** What the topology publishes is what the topic's contract promises its consumers. */
    private static void assertMeetsContract(String topic, Object value) {
        byte[] bytes = topic.equals(TopicNames.DLQ)
                ? Topics.DLQ.valueSerde().serializer().serialize(topic, (DeadLetter) value)
                : Topics.SCORES.valueSerde().serializer().serialize(topic, (AnomalyDescriptor) value);
        ValidationResult result = TopicContracts.shared().forTopic(topic).read(bytes, 1 << 20).result();
        assertTrue(result.isValid(), topic + ": " + result + " in " + new String(bytes, StandardCharsets.UTF_8));
    }

    private double count(ExportedMetric metric, String tag, String value) {
        return registry.counter(metric.micrometerName(), tag, value).count();
    }

    private void pipeEvent(String key, byte[] value, long timestamp) {
        events.pipeInput(new TestRecord<>(bytes(key), value, Instant.ofEpochMilli(timestamp)));
    }

    private static byte[] sineEvent(String entity, long time, double value) {
        return json("{\"entityId\":\"" + entity + "\",\"eventTime\":" + time
                + ",\"stream\":\"test-sine\",\"features\":{\"value\":" + value + "}}");
    }

    private DeadLetter contractRejection(byte[] value, long offset) {
        ValidationResult result = TopicContracts.shared().forTopic(TopicNames.EVENTS)
                .read(value, OPTIONS.maxRecordBytes()).result();
        return DeadLetter.of(bytes("e1"), value, T0, new SourceRef(TopicNames.EVENTS, 0, offset), result.reason(),
                result.describe(DeadLetter.MAX_DETAIL), result.violations().stream().map(Violation::toString)
                        .toList(), NOW);
    }

    private static DeadLetter letter(byte[] value, String key, long offset, DlqReason reason, String detail) {
        return new DeadLetter(b64(value), b64(bytes(key)), T0, new SourceRef(TopicNames.EVENTS, 0, offset), reason,
                detail, null, NOW);
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(String text) {
        return bytes(text);
    }

    /** Serves one stream with one fixed model. */
    private record FixedCatalog(StreamProfile profile, StreamModel model) implements ModelCatalog {
        @Override
        public Set<String> streams() {
            return Set.of(profile.name());
        }

        @Override
        public Optional<StreamProfile> profile(String stream) {
            return Optional.of(profile).filter(p -> p.name().equals(stream));
        }

        @Override
        public Optional<StreamModel> current(String stream) {
            return Optional.of(model).filter(m -> profile.name().equals(stream));
        }
    }

    /** A density that breaks on absurd inputs, as a buggy model might. */
    private record FailingAbove(ConditionalDensity inner, float limit) implements ConditionalDensity {
        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public int contextDimension() {
            return inner.contextDimension();
        }

        @Override
        public float[] logProb(float[] x, float[] c, int batch) {
            for (float value : x) {
                if (value > limit) {
                    throw new IllegalStateException("value " + value + " is out of range");
                }
            }
            return inner.logProb(x, c, batch);
        }

        @Override
        public float[] sample(float[] c, int batch, int n, long seed) {
            return inner.sample(c, batch, n, seed);
        }
    }
}
