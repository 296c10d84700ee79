package io.flowcast.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Producing to and reading from the shared test broker. */
public final class TestKafka {

    private TestKafka() {
    }

    /** Produces records (key, value) in order and returns where each landed. */
    public static List<RecordMetadata> produce(String topic, List<byte[][]> keyValues) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            List<RecordMetadata> written = new ArrayList<>();
            for (byte[][] keyValue : keyValues) {
                written.add(producer.send(new ProducerRecord<>(topic, keyValue[0], keyValue[1])).get());
            }
            return written;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot produce to " + topic, e);
        }
    }

    /**
     * Reads {@code topic} from the beginning (committed records only) until {@code count} records match, or fails
     * after {@code timeout}.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readUntil(String topic,
            Predicate<ConsumerRecord<byte[], byte[]>> matching, int count, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (matching.test(record)) {
                        found.add(record);
                    }
                }
            }
        }
        if (found.size() < count) {
            throw new AssertionError("found " + found.size() + " of " + count + " expected records on " + topic
                    + " within " + timeout);
        }
        return found;
    }
}
