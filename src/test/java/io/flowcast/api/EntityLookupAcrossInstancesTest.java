package io.flowcast.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.AlertSettings;
import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.KafkaBrokerResource;
import io.flowcast.embedded.TestKafka;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.ScoringSettings;
import io.flowcast.topology.DeadLetterDeserializationHandler;
import io.flowcast.topology.DeadLetterProcessingHandler;
import io.flowcast.topology.EntityStateQuery;
import io.flowcast.topology.EvidenceSettings;
import io.flowcast.topology.LatestEntityState;
import io.flowcast.topology.ScoringMetrics;
import io.flowcast.topology.ScoringTopology;
import io.flowcast.topology.ServedForecasts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the scoring application against the broker, as two pods would run: the service (Quarkus, its
 * HTTP API on port A, {@code application.server=localhost:A}) and a second member of the same application in this
 * JVM (the same topology, its own state directory, {@code application.server=localhost:B}, the same lookup behind
 * the JDK's HTTP server). Each hosts one of the two partitions. Every entity's latest score and forecast must be
 * answerable from either instance: the one that hosts it reads its store, the other forwards once. When B leaves,
 * A answers for all of them from its store, B's half restored from the changelog.
 */
@QuarkusTest
@TestProfile(EntityLookupAcrossInstancesTest.TwoInstances.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@Tag("slow")
class EntityLookupAcrossInstancesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String APPLICATION_ID = "flowcast-entity-lookup-test";
    private static final int PORT_A = freePort();
    private static final int PORT_B = freePort();
    private static final String RUN = Long.toString(System.nanoTime() % 100_000);
    /** Positions per agent: more than the forecaster's observed steps (8), so each agent is forecast. */
    private static final int STEPS = 12;

    /** The service as instance A: its own application id (a group of two), its address and port fixed. */
    public static class TwoInstances implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.kafka-streams.application-id", APPLICATION_ID,
                    "quarkus.http.test-port", Integer.toString(PORT_A),
                    "quarkus.kafka-streams.application-server", "localhost:" + PORT_A,
                    // The new member takes its share of the tasks at once, not after a warm-up and a probing
                    // rebalance (the topics already hold other tests' records, so its state starts behind).
                    "kafka-streams.acceptable.recovery.lag", Long.toString(Long.MAX_VALUE));
        }
    }

    @Inject
    KafkaStreams service;

    @Inject
    ModelCatalog catalog;

    @Inject
    ScoringSettings scoring;

    @Inject
    AlertSettings alerts;

    @Inject
    ServedForecasts forecasts;

    @Inject
    EvidenceSettings evidence;

    @Test
    void everyEntityIsAnsweredByEitherInstance() throws Exception {
        HostInfo hostA = new HostInfo("localhost", PORT_A);
        HostInfo hostB = new HostInfo("localhost", PORT_B);
        Path stateB = Files.createTempDirectory("flowcast-instance-b");
        try (KafkaStreams instanceB = new KafkaStreams(sameTopology(), configB(stateB));
                LookupServer serverB = new LookupServer(PORT_B, new EntityLookup(
                        new EntityStateQuery(instanceB, hostB), new EntityForwarder(Duration.ofSeconds(10))))) {
            instanceB.start();
            await("both instances RUNNING, each hosting one partition of the entity store", () ->
                    service.state() == KafkaStreams.State.RUNNING && instanceB.state() == KafkaStreams.State.RUNNING
                            && hostsOfStore(service).equals(Set.of(hostA, hostB))
                            && hostsOfStore(instanceB).equals(Set.of(hostA, hostB)));

            // Agents of the trajectory stream (scores and forecasts) and sensors of an event stream (scores only),
            // in both partitions.
            List<String> agents = entitiesInEveryPartition("lookup-agent-" + RUN + "-");
            List<String> sensors = entitiesInEveryPartition("lookup-sensor-" + RUN + "-");
            long t0 = System.currentTimeMillis() - 60_000;
            Map<String, RecordMetadata> lastAgentRecord = produce(TopicNames.TRAJECTORIES, agents, t0,
                    (agent, step) -> position(agent, t0 + step * 400L, step));
            Map<String, RecordMetadata> lastSensorRecord = produce(TopicNames.EVENTS, sensors, t0,
                    (sensor, step) -> reading(sensor, t0 + step * 1000L, step));

            Set<String> servedBy = new TreeSet<>();
            for (String agent : agents) {
                long last = t0 + (STEPS - 1) * 400L;
                String answer = awaitLatest(PORT_A, "pedestrians", agent, last, last, lastAgentRecord.get(agent));
                // The other instance gives the same answer, from the same store.
                assertEquals(answer, awaitLatest(PORT_B, "pedestrians", agent, last, last,
                        lastAgentRecord.get(agent)), agent);
                servedBy.add(given().port(PORT_A).get(path("pedestrians", agent)).jsonPath().getString("servedBy"));
            }
            for (String sensor : sensors) {
                long last = t0 + (STEPS - 1) * 1000L;
                String answer = awaitLatest(PORT_B, ApiTestSupport.STREAM, sensor, last, null,
                        lastSensorRecord.get(sensor));
                assertEquals(answer, awaitLatest(PORT_A, ApiTestSupport.STREAM, sensor, last, null,
                        lastSensorRecord.get(sensor)), sensor);
            }
            assertEquals(new TreeSet<>(List.of("localhost:" + PORT_A, "localhost:" + PORT_B)), servedBy,
                    "each instance hosts one partition, so each answers for some agents");

            // Unknown entities are 404 on either instance (whichever hosts their partition says so).
            for (int port : new int[] {PORT_A, PORT_B}) {
                for (String nobody : entitiesInEveryPartition("nobody-" + RUN + "-")) {
                    given().port(port).get(path("pedestrians", nobody)).then().statusCode(404)
                            .contentType(Problem.MEDIA_TYPE).body("type", equalTo("/problems/unknown-entity"));
                }
            }
            // A forwarded request is answered from the receiving instance's own store or not at all: never
            // forwarded again (two instances whose metadata disagree during a rebalance would bounce it forever).
            String hostedByB = agents.stream().filter(agent -> hostOf(instanceB, agent).equals(hostB)).findFirst()
                    .orElseThrow();
            given().port(PORT_A).header(EntityForwarder.FORWARDED_BY, "localhost:" + PORT_B)
                    .get(path("pedestrians", hostedByB)).then().statusCode(503).header("Retry-After", "2")
                    .contentType(Problem.MEDIA_TYPE).body("type", equalTo("/problems/entity-state-unavailable"));

            // Instance B goes away (a pod scaled down): A takes its partition over, restores B's half of the
            // lookup store from its changelog, and answers for every entity itself (503 while that happens).
            serverB.close();
            // A notices when B's session times out (15 s): Kafka Streams' members do not leave the group on close.
            instanceB.close(Duration.ofSeconds(60));
            for (String agent : agents) {
                long last = t0 + (STEPS - 1) * 400L;
                awaitLatest(PORT_A, "pedestrians", agent, last, last, lastAgentRecord.get(agent));
                given().port(PORT_A).get(path("pedestrians", agent)).then().statusCode(200)
                        .body("servedBy", equalTo("localhost:" + PORT_A));
            }
        } finally {
            deleteTree(stateB);
        }
    }

    /** The service's topology, built the way its producer builds it. */
    private Topology sameTopology() {
        return ScoringTopology.service(catalog, scoring, alerts, forecasts, evidence,
                new ScoringMetrics(new SimpleMeterRegistry()));
    }

    /** The service's streams configuration (application.properties), with instance B's address and state. */
    private static Properties configB(Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + PORT_B);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingHandler.class.getName());
        config.put(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG, Long.MAX_VALUE);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 15000);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3000);
        return config;
    }

    private static Set<HostInfo> hostsOfStore(KafkaStreams streams) {
        Set<HostInfo> hosts = new HashSet<>();
        try {
            for (StreamsMetadata metadata : streams.streamsMetadataForStore(LatestEntityState.SCORES_STORE)) {
                if (!metadata.topicPartitions().isEmpty()) {
                    hosts.add(metadata.hostInfo());
                }
            }
        } catch (RuntimeException notRunningYet) {
            return Set.of();
        }
        return hosts;
    }

    private static HostInfo hostOf(KafkaStreams streams, String agent) {
        return streams.queryMetadataForKey(LatestEntityState.SCORES_STORE, "pedestrians/" + agent,
                io.flowcast.topology.EntityKey.PARTITIONER).activeHost();
    }

    /**
     * Polls one instance until it answers 200 with the entity's score of {@code eventTime} from the expected input
     * record, and its forecast of {@code forecastTime} (none when null); returns the body.
     */
    private static String awaitLatest(int port, String stream, String entity, long eventTime, Long forecastTime,
            RecordMetadata last) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Response response = given().port(port).get(path(stream, entity));
            if (response.statusCode() == 200) {
                var json = response.jsonPath();
                if (String.valueOf(eventTime).equals(json.getString("score.eventTime"))
                        && (forecastTime == null || forecastTime.toString().equals(
                                json.getString("forecast.eventTime")))) {
                    assertEquals(entity, json.getString("entityId"));
                    if (forecastTime == null) {
                        assertNull(json.get("forecast"), "an event stream is not forecast");
                    } else {
                        assertEquals(entity, json.getString("forecast.entityId"));
                    }
                    assertEquals(stream, json.getString("score.stream"));
                    assertEquals(last.topic(), json.getString("score.source.topic"));
                    assertEquals(last.partition(), json.getInt("score.source.partition"));
                    assertEquals(last.offset(), json.getLong("score.source.offset"));
                    return response.asString();
                }
            } else if (response.statusCode() != 503) {
                // 404 until the entity's first score is in the store; 503 only while a rebalance moves partitions.
                assertEquals(404, response.statusCode(), response.asString());
            }
            assertTrue(System.nanoTime() < deadline, "instance on port " + port + " never answered " + stream + "/"
                    + entity + " at " + eventTime + ": " + response.statusCode() + " " + response.asString());
            Thread.sleep(200);
        }
    }

    /** Names with this prefix, at least three per partition of the outputs (two partitions in the tests). */
    private static List<String> entitiesInEveryPartition(String prefix) {
        Map<Integer, Integer> perPartition = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; perPartition.getOrDefault(0, 0) < 3 || perPartition.getOrDefault(1, 0) < 3; i++) {
            String name = prefix + i;
            int partition = BuiltInPartitioner.partitionForKey(name.getBytes(StandardCharsets.UTF_8), 2);
            if (perPartition.merge(partition, 1, Integer::sum) <= 3) {
                names.add(name);
            }
        }
        return names;
    }

    private interface Record {
        String json(String entity, int step);
    }

    /** STEPS records per entity, entities interleaved; returns each entity's last record's place. */
    private static Map<String, RecordMetadata> produce(String topic, List<String> entities, long t0, Record record) {
        List<byte[][]> records = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            for (String entity : entities) {
                records.add(new byte[][] {bytes(entity), bytes(record.json(entity, step))});
            }
        }
        List<RecordMetadata> written = TestKafka.produce(topic, records);
        Map<String, RecordMetadata> last = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            last.put(new String(records.get(i)[0], StandardCharsets.UTF_8), written.get(i));
        }
        return last;
    }

    private static String position(String agent, long eventTime, int step) {
        return String.format(Locale.ROOT, "{\"entityId\":\"%s\",\"eventTime\":%d,\"position\":{\"x\":%.3f,"
                + "\"y\":%.3f},\"scene\":\"test-plaza\",\"stream\":\"pedestrians\"}", agent, eventTime,
                1.0 + 0.5 * step, 2.0 + 0.01 * (step % 3));
    }

    private static String reading(String sensor, long eventTime, int step) {
        return ApiTestSupport.event(sensor, eventTime, ApiTestSupport.u(step), ApiTestSupport.v(step));
    }

    private static String path(String stream, String entity) {
        return "/api/v1/entities/" + stream + "/" + entity;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not reached within " + TIMEOUT + ": " + what);
            Thread.sleep(200);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
