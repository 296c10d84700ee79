package io.flowcast.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.contract.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker the service embeds: topics as Flowcast needs them, and data that survives a restart. */
class EmbeddedKafkaBrokerTest {

    @TempDir
    Path dir;

    @Test
    void keepsTopicsAndRecordsAcrossARestartOnTheSameDirectory() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, Map.of())) {
            List<String> created = TopicProvisioner.ensureTopics(broker.bootstrapServers(), 3, (short) 1);
            assertEquals(7, created.size());
            assertEquals(List.of(), TopicProvisioner.ensureTopics(broker.bootstrapServers(), 3, (short) 1));
            try (Admin admin = admin(broker)) {
                Map<String, TopicDescription> topics = admin.describeTopics(List.of(TopicNames.EVENTS,
                        TopicNames.MODELS)).allTopicNames().get();
                assertEquals(3, topics.get(TopicNames.EVENTS).partitions().size());
                assertEquals(1, topics.get(TopicNames.MODELS).partitions().size());
                ConfigResource models = new ConfigResource(ConfigResource.Type.TOPIC, TopicNames.MODELS);
                assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, admin.describeConfigs(List.of(models)).all().get()
                        .get(models).get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>(TopicNames.EVENTS, 0, "k", "v" + i)).get();
                }
            }
        }
        // Same directory, new port: the cluster, its topics and its records are still there.
        int port;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, Map.of())) {
            port = Integer.parseInt(broker.bootstrapServers().substring(broker.bootstrapServers().indexOf(':') + 1));
            assertTrue(!EmbeddedKafkaBroker.isPortFree(port));
            assertEquals(List.of(), TopicProvisioner.ensureTopics(broker.bootstrapServers(), 3, (short) 1));
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringDeserializer(), new StringDeserializer())) {
                TopicPartition partition = new TopicPartition(TopicNames.EVENTS, 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long deadline = System.currentTimeMillis() + 30_000;
                while (values.size() < 10 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        values.add(record.value());
                    }
                }
            }
            assertEquals(List.of("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"), values);
        }
        // A clean stop releases the port, so the next start can have it.
        assertTrue(EmbeddedKafkaBroker.isPortFree(port));
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
