package io.flowcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.EmbeddedKafkaBroker;
import io.flowcast.embedded.TopicProvisioner;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a crash, against a real broker: 100,000 records of 1,000 entities; the streams application runs
 * in a worker process that is killed (SIGKILL: no clean commit, an open transaction) once about half the scores are
 * committed; a new instance with the same application id and state directory takes over. Afterwards every input
 * record has exactly one committed score, identified by its source partition and offset, and nothing is
 * dead-lettered. (Scale with -Dflowcast.eos.records and -Dflowcast.eos.entities.)
 */
@Tag("slow")
class ExactlyOnceRestartTest {

    private static final int RECORDS = Integer.getInteger("flowcast.eos.records", 100_000);
    private static final int ENTITIES = Integer.getInteger("flowcast.eos.entities", 1_000);
    private static final Duration TIMEOUT = Duration.ofMinutes(6);
    /** Rounds (one record per entity each) per input transaction. */
    private static final int CHUNK_ROUNDS = 10;

    @TempDir
    Path dir;

    @Test
    void everyRecordIsScoredExactlyOnceAcrossAnAbruptStopAndARestart() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, Map.of())) {
            String servers = broker.bootstrapServers();
            TopicProvisioner.ensureTopics(servers, 4, (short) 1);
            awaitLeaders(servers);
            Set<SourceRef> inputs = produce(servers);
            assertEquals(RECORDS, inputs.size());
            String stateDir = dir.resolve("streams").toString();

            Process worker = startWorker(servers, stateDir);
            Map<SourceRef, Integer> scores = new HashMap<>();
            try (KafkaConsumer<byte[], byte[]> consumer = committedReader(servers, TopicNames.SCORES)) {
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (total(scores) < RECORDS / 2) {
                    assertTrue(worker.isAlive(), "the worker died on its own; see " + dir.resolve("worker.log"));
                    assertTrue(System.nanoTime() < deadline, "the worker scored only " + total(scores));
                    read(consumer, scores);
                }
                worker.destroyForcibly();
                assertTrue(worker.waitFor(30, TimeUnit.SECONDS));
                int atKill = total(scores);
                assertTrue(atKill < RECORDS, "the worker finished before it was stopped: " + atKill);

                try (KafkaStreams restarted = EosApp.create(servers, stateDir)) {
                    restarted.start();
                    while (scores.size() < RECORDS) {
                        assertTrue(System.nanoTime() < deadline, "after the restart only " + scores.size() + " of "
                                + RECORDS + " records are scored");
                        read(consumer, scores);
                    }
                    // Anything scored twice would show up now, in the same read_committed stream.
                    long settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                    while (System.nanoTime() < settle) {
                        read(consumer, scores);
                    }
                    System.out.printf("exactly-once: %d records of %d entities, %d scores committed before the kill,"
                            + " %d after the restart%n", RECORDS, ENTITIES, atKill, total(scores) - atKill);
                }
            }
            assertEquals(inputs, scores.keySet());
            List<SourceRef> twice = scores.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey)
                    .toList();
            assertEquals(List.of(), twice, "scored more than once");
            try (KafkaConsumer<byte[], byte[]> dlq = committedReader(servers, TopicNames.DLQ)) {
                List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
                long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (System.nanoTime() < until) {
                    dlq.poll(Duration.ofMillis(200)).forEach(letters::add);
                }
                assertEquals(0, letters.size(), "dead letters: " + (letters.isEmpty() ? ""
                        : new String(letters.get(0).value(), StandardCharsets.UTF_8)));
            }
        }
    }

    /**
     * Waits until every partition of the topics the test uses has a leader: a producer that starts while a fresh
     * topic's leadership is still being elected can be answered NOT_LEADER_OR_FOLLOWER and, on a single slow node,
     * keep a batch waiting until it expires.
     */
    private static void awaitLeaders(String servers) throws Exception {
        List<String> topics = List.of(TopicNames.EVENTS, TopicNames.SCORES, TopicNames.DLQ);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            while (true) {
                boolean allLed = admin.describeTopics(topics).allTopicNames().get().values().stream()
                        .flatMap(description -> description.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (allLed) {
                    return;
                }
                assertTrue(System.nanoTime() < deadline, "partitions without a leader after 60 s");
                Thread.sleep(100);
            }
        }
    }

    /**
     * Entity e sends records at times 1000 * k, values along a sine with its own phase. The records go out in
     * transactions of {@link #CHUNK_ROUNDS} rounds; a chunk whose transaction fails (once in CI a batch for one
     * partition sat 120 s and expired on a loaded machine) is aborted and sent again by a new producer with the same
     * transactional id. Aborted records are invisible to the read_committed streams application, so the input is
     * still exactly the set of committed offsets returned here.
     */
    private static Set<SourceRef> produce(String servers) throws Exception {
        Set<SourceRef> written = new HashSet<>();
        int perEntity = RECORDS / ENTITIES;
        String transactionalId = "eos-test-input-" + UUID.randomUUID();
        KafkaProducer<byte[], byte[]> producer = inputProducer(servers, transactionalId);
        try {
            for (int first = 0; first < perEntity; first += CHUNK_ROUNDS) {
                int last = Math.min(perEntity, first + CHUNK_ROUNDS);
                for (int attempt = 1; ; attempt++) {
                    try {
                        written.addAll(sendRounds(producer, first, last));
                        break;
                    } catch (Exception e) {
                        assertTrue(attempt < 4, "input rounds " + first + ".." + last + " failed " + attempt
                                + " times: " + e);
                        System.out.printf("input rounds %d..%d: attempt %d failed (%s); resending%n", first, last,
                                attempt, e);
                        producer.close(Duration.ZERO);
                        producer = inputProducer(servers, transactionalId);
                    }
                }
            }
        } finally {
            producer.close();
        }
        return written;
    }

    private static KafkaProducer<byte[], byte[]> inputProducer(String servers, String transactionalId) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
        // Fences an earlier producer with this id and aborts its open transaction.
        producer.initTransactions();
        return producer;
    }

    private static List<SourceRef> sendRounds(KafkaProducer<byte[], byte[]> producer, int first, int last)
            throws Exception {
        long t0 = 1_700_000_000_000L;
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
        producer.beginTransaction();
        for (int k = first; k < last; k++) {
            for (int e = 0; e < ENTITIES; e++) {
                String entity = "entity-" + e;
                double value = Math.sin(k / 5.0 + e) + 0.05 * Math.cos(k * 1.3 + e);
                byte[] json = ("{\"entityId\":\"" + entity + "\",\"eventTime\":" + (t0 + 1000L * k)
                        + ",\"stream\":\"test-sine\",\"features\":{\"value\":" + value + "}}")
                        .getBytes(StandardCharsets.UTF_8);
                sent.add(producer.send(new ProducerRecord<>(TopicNames.EVENTS,
                        entity.getBytes(StandardCharsets.UTF_8), json)));
            }
        }
        producer.commitTransaction();
        List<SourceRef> refs = new ArrayList<>(sent.size());
        for (var future : sent) {
            var metadata = future.get();
            refs.add(new SourceRef(metadata.topic(), metadata.partition(), metadata.offset()));
        }
        return refs;
    }

    private Process startWorker(String servers, String stateDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = dir.resolve("worker.log").toFile();
        return new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                EosWorker.class.getName(), servers, stateDir)
                .redirectErrorStream(true).redirectOutput(log).start();
    }

    private static KafkaConsumer<byte[], byte[]> committedReader(String servers, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.GROUP_ID_CONFIG, "eos-check-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static void read(KafkaConsumer<byte[], byte[]> consumer, Map<SourceRef, Integer> scores) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            AnomalyDescriptor descriptor = Topics.SCORES.valueSerde().deserializer().deserialize(TopicNames.SCORES,
                    record.value());
            scores.merge(descriptor.source(), 1, Integer::sum);
        }
    }

    private static int total(Map<SourceRef, Integer> scores) {
        return scores.values().stream().mapToInt(Integer::intValue).sum();
    }
}
