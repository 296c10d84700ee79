package io.flowcast.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowcast.topology.EntityStateQuery;
import io.flowcast.topology.LatestEntityState;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lookup's answers when no instance can give one (the two-instance test covers the answered cases). */
class EntityLookupTest {

    @TempDir
    Path stateDir;

    @Test
    void answers503WithRetryAfterBeforeTheStreamsRun() throws Exception {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "entity-lookup-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:8080");
        try (KafkaStreams notStarted = new KafkaStreams(LatestEntityState.addTo(new Topology(), "pedestrians"),
                config)) {
            EntityLookup lookup = new EntityLookup(new EntityStateQuery(notStarted, new HostInfo("localhost", 8080)),
                    new EntityForwarder(Duration.ofSeconds(1)));
            EntityReply reply = lookup.lookup("pedestrians", "agent-1", Optional.empty());
            assertEquals(503, reply.status());
            assertEquals(Problem.MEDIA_TYPE, reply.contentType());
            assertEquals(EntityLookup.RETRY_AFTER_SECONDS, reply.retryAfterSeconds());
            JsonNode problem = new ObjectMapper().readTree(reply.body());
            assertEquals("/problems/entity-state-unavailable", problem.get("type").asText());
            assertTrue(problem.get("detail").asText().contains("CREATED"), problem.toString());
        }
    }

    @Test
    void anInstanceThatDoesNotAnswerIsNoReply() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertTrue(new EntityForwarder(Duration.ofSeconds(2))
                .forward(new HostInfo("localhost", closed), "pedestrians", "agent 1/x", "localhost:8080").isEmpty());
    }
}
