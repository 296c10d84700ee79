package io.flowcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowcast.contract.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entity-lookup sub-topology on its own: what it keeps of the published scores and forecasts, and that its
 * partitioner agrees with how those topics are partitioned.
 */
class LatestEntityStateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    @Test
    void keepsEachEntitysLatestScoreAndForecastByEventTime() throws Exception {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "latest-entity-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        Topology topology = LatestEntityState.addTo(new Topology(), "pedestrians");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config)) {
            TestInputTopic<String, byte[]> scores = driver.createInputTopic(TopicNames.SCORES, new StringSerializer(),
                    new ByteArraySerializer());
            TestInputTopic<String, byte[]> forecasts = driver.createInputTopic(TopicNames.FORECASTS,
                    new StringSerializer(), new ByteArraySerializer());
            byte[] normal = example("flowcast.scores/valid-normal.json");
            String entity = JSON.readTree(normal).get("entityId").asText();
            String stream = JSON.readTree(normal).get("stream").asText();

            byte[] at2000 = with(normal, 2000);
            scores.pipeInput(entity, with(normal, 1000));
            scores.pipeInput(entity, at2000);
            scores.pipeInput(entity, with(normal, 1500)); // late: about an earlier moment
            // The same entity id in another stream is another entity.
            byte[] otherStream = withStream(with(normal, 500), "other-stream");
            scores.pipeInput(entity, otherStream);
            // Not what the topology publishes: skipped, and the stream goes on.
            scores.pipeInput("someone-else", with(normal, 9000));
            scores.pipeInput(entity, "not json".getBytes(StandardCharsets.UTF_8));
            scores.pipeInput(entity, (byte[]) null);
            scores.pipeInput((String) null, with(normal, 9000));

            byte[] forecast = example("flowcast.forecasts/valid-model.json");
            String agent = JSON.readTree(forecast).get("entityId").asText();
            byte[] forecastAt3000 = with(forecast, 3000);
            forecasts.pipeInput(agent, forecastAt3000);
            forecasts.pipeInput(agent, with(forecast, 2500));

            KeyValueStore<String, byte[]> latestScores = driver.getKeyValueStore(LatestEntityState.SCORES_STORE);
            KeyValueStore<String, byte[]> latestForecasts =
                    driver.getKeyValueStore(LatestEntityState.FORECASTS_STORE);
            assertEquals(new String(at2000, StandardCharsets.UTF_8),
                    new String(latestScores.get(stream + "/" + entity), StandardCharsets.UTF_8),
                    "the published bytes of the latest score");
            assertEquals(new String(otherStream, StandardCharsets.UTF_8),
                    new String(latestScores.get("other-stream/" + entity), StandardCharsets.UTF_8));
            assertNull(latestScores.get(stream + "/someone-else"));
            assertEquals(2, count(latestScores));
            // Forecasts name no stream: they belong to the trajectory stream.
            assertEquals(new String(forecastAt3000, StandardCharsets.UTF_8),
                    new String(latestForecasts.get("pedestrians/" + agent), StandardCharsets.UTF_8));
            assertEquals(1, count(latestForecasts));
        }
    }

    @Test
    void locatesAnEntityInThePartitionItsOutputsAreWrittenTo() {
        StringSerializer serializer = new StringSerializer();
        for (int partitions : new int[] {1, 2, 4, 7, 12}) {
            for (String entity : new String[] {"agent-42", "s/1", "", "ünïcødé", "walker-a123"}) {
                int expected = BuiltInPartitioner.partitionForKey(serializer.serialize(TopicNames.SCORES, entity),
                        partitions);
                assertEquals(Optional.of(Set.of(expected)), EntityKey.PARTITIONER.partitions(TopicNames.SCORES,
                        EntityKey.of("some-stream", entity), null, partitions), entity + " of " + partitions);
            }
        }
    }

    private static int count(KeyValueStore<String, byte[]> store) {
        int n = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    private static byte[] with(byte[] record, long eventTime) throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(record);
        node.put("eventTime", eventTime);
        return JSON.writeValueAsBytes(node);
    }

    private static byte[] withStream(byte[] record, String stream) throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(record);
        node.put("stream", stream);
        return JSON.writeValueAsBytes(node);
    }

    private static byte[] example(String name) throws Exception {
        return Files.readAllBytes(Path.of("schemas/examples", name));
    }
}
