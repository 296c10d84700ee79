package io.flowcast.topology;

import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Publishes dead letters from Kafka Streams' exception handlers, which run outside any processor and so cannot
 * forward to the topology's DLQ sink. They use a producer of their own, created on first use and shared per
 * cluster. It is not part of the task's transaction: under exactly-once a record that fails this way and is then
 * reprocessed after a crash can be dead-lettered twice. Records the topology rejects itself do not go this way.
 */
final class OutOfBandDeadLetters {

    private static final Logger LOG = Logger.getLogger(OutOfBandDeadLetters.class);
    private static final Map<String, Producer<byte[], byte[]>> PRODUCERS = new ConcurrentHashMap<>();

    private OutOfBandDeadLetters() {
    }

    /** Publishes and counts one dead letter; never throws (a handler that throws would kill the stream thread). */
    static void publish(Map<String, ?> streamsConfig, byte[] key, DeadLetter letter) {
        ScoringMetrics.deadLettered(Metrics.globalRegistry, letter.reason(), 1);
        try {
            byte[] value = Topics.DLQ.valueSerde().serializer().serialize(Topics.DLQ.name(), letter);
            producer(streamsConfig).send(new ProducerRecord<>(Topics.DLQ.name(), key, value), (metadata, error) -> {
                if (error != null) {
                    LOG.errorf("Could not dead-letter %s (%s): %s", letter.source(), letter.reason(),
                            error.getMessage());
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf("Could not dead-letter %s (%s): %s", letter.source(), letter.reason(), e.getMessage());
        }
    }

    static void closeAll() {
        PRODUCERS.values().forEach(producer -> producer.close(Duration.ofSeconds(5)));
        PRODUCERS.clear();
    }

    private static Producer<byte[], byte[]> producer(Map<String, ?> streamsConfig) {
        String bootstrap = String.valueOf(streamsConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        return PRODUCERS.computeIfAbsent(bootstrap, b -> {
            Map<String, Object> config = new HashMap<>();
            // Connection and security settings come from the streams configuration; the rest is ours.
            for (Map.Entry<String, ?> entry : streamsConfig.entrySet()) {
                if (ProducerConfig.configNames().contains(entry.getKey())) {
                    config.put(entry.getKey(), entry.getValue());
                }
            }
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "flowcast-dead-letters");
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
            return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        });
    }
}
