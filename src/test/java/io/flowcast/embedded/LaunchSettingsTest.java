package io.flowcast.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decision FlowcastMain takes before Quarkus starts: embedded broker or external cluster. */
class LaunchSettingsTest {

    private static final String[] KEYS = {"quarkus.kafka-streams.bootstrap-servers", "kafka.bootstrap.servers",
        "flowcast.embedded.enabled", "flowcast.embedded.port", "kafka-streams.group.instance.id"};

    @BeforeEach
    void noExternalClusterInTheEnvironment() {
        assumeTrue(System.getenv("KAFKA_BOOTSTRAP_SERVERS") == null
                && System.getenv("QUARKUS_KAFKA_STREAMS_BOOTSTRAP_SERVERS") == null);
        clear();
    }

    @AfterEach
    void clear() {
        for (String key : KEYS) {
            System.clearProperty(key);
        }
    }

    @Test
    void withNothingConfiguredTheBrokerIsEmbeddedWithThePackagedDefaults() {
        LaunchSettings settings = LaunchSettings.load();
        assertTrue(settings.embedBroker());
        assertEquals(Optional.empty(), settings.externalBootstrapServers());
        assertEquals(9092, settings.port());
        assertEquals(Path.of("data/kafka"), settings.dataDir());
        assertEquals(Path.of("data/streams"), settings.streamsStateDir());
        assertEquals(4, settings.partitions());
        assertFalse(settings.cleanStart());
    }

    @Test
    void configuredBootstrapServersMeanAnExternalCluster() {
        System.setProperty("quarkus.kafka-streams.bootstrap-servers", "kafka-1:9092,kafka-2:9092");
        LaunchSettings settings = LaunchSettings.load();
        assertFalse(settings.embedBroker());
        assertEquals(Optional.of("kafka-1:9092,kafka-2:9092"), settings.externalBootstrapServers());

        System.clearProperty("quarkus.kafka-streams.bootstrap-servers");
        System.setProperty("kafka.bootstrap.servers", "kafka-3:9092");
        assertEquals(Optional.of("kafka-3:9092"), LaunchSettings.load().externalBootstrapServers());
    }

    @Test
    void theEmbeddedModeCanBeForcedEitherWay() {
        System.setProperty("kafka.bootstrap.servers", "kafka-3:9092");
        System.setProperty("flowcast.embedded.enabled", "true");
        assertTrue(LaunchSettings.load().embedBroker());
        System.clearProperty("kafka.bootstrap.servers");
        System.setProperty("flowcast.embedded.enabled", "false");
        assertFalse(LaunchSettings.load().embedBroker());
    }
}
