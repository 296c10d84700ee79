package io.flowcast.topology;

import io.flowcast.flow.ContextSpec;
import io.flowcast.serving.StreamProfile;
import io.flowcast.serving.WarmupModelCatalog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The scoring application as the exactly-once test runs it, in this JVM or in a worker process that the test kills:
 * the real topology, a stream that learns its first model from its records, micro-batches of up to 256 records.
 */
final class EosApp {

    static final String APPLICATION_ID = "flowcast-eos-test";
    static final StreamProfile SINE = new StreamProfile("test-sine", List.of("value"), new ContextSpec(2, false),
            0.01);

    /**
     * Outside Quarkus no logging configuration applies, and the JBoss log manager's loggers then format even Kafka's
     * TRACE messages (a large share of a measured hot loop): root at INFO, Kafka at WARNING. Held, so they stay set.
     */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.List.of(
            quiet("", java.util.logging.Level.INFO), quiet("org.apache.kafka", java.util.logging.Level.WARNING),
            quiet("kafka", java.util.logging.Level.WARNING),
            quiet("state.change.logger", java.util.logging.Level.WARNING));

    private static java.util.logging.Logger quiet(String name, java.util.logging.Level level) {
        java.util.logging.Logger logger = org.jboss.logmanager.LogContext.getLogContext().getLogger(name);
        logger.setLevel(level);
        return logger;
    }

    private EosApp() {
    }

    static KafkaStreams create(String bootstrapServers, String stateDir) {
        ScoringTopology.Options options = new ScoringTopology.Options(8, Duration.ofHours(1), 1 << 20,
                "pedestrians").withBatching(256, Duration.ofMillis(5));
        WarmupModelCatalog catalog = new WarmupModelCatalog(List.of(SINE), 200, 200, 1e-3);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingHandler.class.getName());
        // The killed member must leave the group quickly for the restarted one to take its partitions.
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000);
        return new KafkaStreams(ScoringTopology.build(catalog, options, new ScoringMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC()), config);
    }
}
