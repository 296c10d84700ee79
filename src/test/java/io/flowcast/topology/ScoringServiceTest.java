package io.flowcast.topology;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.DlqReason;
import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.KafkaBrokerResource;
import io.flowcast.embedded.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The running service against a real broker: records published to the input topics come back as scores or dead
 * letters, counted in the Prometheus metrics. (The test profile learns a stream's first model from 40 records and
 * calibrates it on 60, with a context window of 2.)
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class ScoringServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @BeforeEach
    void waitUntilReady() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (given().get("/q/health/ready").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not ready: " + given().get("/q/health/ready").asString());
            }
            Thread.sleep(200);
        }
    }

    @Test
    void scoresEveryEventPublishedThroughTheBroker() {
        String entity = "sine-" + UUID.randomUUID();
        int n = 150;
        long start = System.currentTimeMillis() - n * 1000L;
        List<byte[][]> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double value = Math.sin(i / 5.0) + 0.1 * Math.sin(i * 1.7);
            records.add(new byte[][] {bytes(entity), bytes("{\"entityId\":\"" + entity + "\",\"eventTime\":"
                    + (start + i * 1000L) + ",\"stream\":\"test-sine\",\"features\":{\"value\":" + value + "}}")});
        }
        double scoredBefore = metric("flowcast_records_scored_total", "stream", "test-sine");
        List<RecordMetadata> written = TestKafka.produce(TopicNames.EVENTS, records);

        List<AnomalyDescriptor> scores = TestKafka.readUntil(TopicNames.SCORES, r -> entity.equals(key(r)), n,
                TIMEOUT).stream().map(ScoringServiceTest::descriptor).toList();

        // Exactly one score per input record, in order, each naming its source.
        assertEquals(written.stream().map(m -> new SourceRef(m.topic(), m.partition(), m.offset())).toList(),
                scores.stream().map(AnomalyDescriptor::source).toList());
        int firstScored = 2 + 40 + 60;
        for (int i = 0; i < n; i++) {
            AnomalyDescriptor score = scores.get(i);
            assertEquals(i < firstScored, score.warmingUp(), "record " + i);
            if (!score.warmingUp()) {
                assertEquals(new ModelRef("test-sine.linear-gaussian", 1), score.model());
                assertTrue(score.tailProbability() > 0 && score.tailProbability() <= 1);
                assertEquals(1 - score.tailProbability(), score.grade(), 1e-12);
                assertEquals(Set.of("value"), score.expected().keySet());
            }
        }
        assertTrue(metric("flowcast_records_scored_total", "stream", "test-sine") >= scoredBefore + n - firstScored);
    }

    @Test
    void deadLettersMalformedRecordsWithTheirReasonAndKeepsScoring() {
        String entity = "dlq-" + UUID.randomUUID();
        byte[] badJson = bytes("{\"entityId\":\"" + entity + "\",\"eventTime\":12,");
        byte[] badSchema = bytes("{\"entityId\":\"" + entity + "\",\"eventTime\":-5,\"stream\":\"test-pair\","
                + "\"features\":{\"a\":1,\"b\":2}}");
        byte[] unknownStream = bytes("{\"entityId\":\"" + entity + "\",\"eventTime\":1000,\"stream\":\"no-model\","
                + "\"features\":{\"a\":1}}");
        byte[] good = bytes("{\"entityId\":\"" + entity + "\",\"eventTime\":2000,\"stream\":\"test-pair\","
                + "\"features\":{\"a\":1,\"b\":2}}");
        List<DlqReason> reasons = List.of(DlqReason.MALFORMED_JSON, DlqReason.SCHEMA_VIOLATION,
                DlqReason.UNKNOWN_STREAM);
        List<Double> before = reasons.stream().map(r -> metric("flowcast_dlq_records_total", "reason", r.name()))
                .toList();

        List<RecordMetadata> written = TestKafka.produce(TopicNames.EVENTS, List.of(
                new byte[][] {bytes(entity), badJson}, new byte[][] {bytes(entity), badSchema},
                new byte[][] {bytes(entity), unknownStream}, new byte[][] {bytes(entity), good}));

        List<DeadLetter> letters = TestKafka.readUntil(TopicNames.DLQ, r -> entity.equals(key(r)), 3, TIMEOUT)
                .stream().map(r -> Topics.DLQ.valueSerde().deserializer().deserialize(TopicNames.DLQ, r.value()))
                .toList();
        assertEquals(reasons, letters.stream().map(DeadLetter::reason).toList());
        List<byte[]> originals = List.of(badJson, badSchema, unknownStream);
        for (int i = 0; i < 3; i++) {
            DeadLetter letter = letters.get(i);
            assertEquals(Base64.getEncoder().encodeToString(originals.get(i)), letter.originalValue());
            assertEquals(Base64.getEncoder().encodeToString(bytes(entity)), letter.originalKey());
            assertEquals(new SourceRef(TopicNames.EVENTS, written.get(i).partition(), written.get(i).offset()),
                    letter.source());
            assertFalse(letter.detail().isBlank());
        }
        // The stream carries on: the good record after them is scored.
        AnomalyDescriptor score = descriptor(TestKafka.readUntil(TopicNames.SCORES, r -> entity.equals(key(r)), 1,
                TIMEOUT).get(0));
        assertEquals(new SourceRef(TopicNames.EVENTS, written.get(3).partition(), written.get(3).offset()),
                score.source());
        for (int i = 0; i < reasons.size(); i++) {
            assertEquals(before.get(i) + 1, metric("flowcast_dlq_records_total", "reason", reasons.get(i).name()),
                    reasons.get(i).name());
        }
    }

    @Test
    void readyWhileTheStreamsRun() {
        given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("Flowcast scoring streams"), containsString("RUNNING"));
    }

    /** A counter's value in the Prometheus scrape, 0 when the series is absent. */
    private static double metric(String name, String tag, String value) {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = Pattern.compile("^" + name + "\\{[^}]*" + tag + "=\"" + Pattern.quote(value)
                + "\"[^}]*} (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static AnomalyDescriptor descriptor(ConsumerRecord<byte[], byte[]> record) {
        return Topics.SCORES.valueSerde().deserializer().deserialize(TopicNames.SCORES, record.value());
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
