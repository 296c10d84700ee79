package io.flowcast.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.embedded.KafkaBrokerResource;
import io.flowcast.serving.StreamProfile;
import io.smallrye.config.PropertiesConfigSourceLoader;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The standalone retrain job reads the service's configuration without Quarkus and runs against a cluster. */
class RetrainJobTest {

    @Test
    void theConfigurationReadsLikeTheService() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        SmallRyeConfig config = new SmallRyeConfigBuilder().forClassLoader(loader).addDefaultInterceptors()
                .withSources(PropertiesConfigSourceLoader.inClassPath("application.properties", 250, loader))
                .build();
        RetrainConfig retrain = RetrainConfig.from(config);
        assertEquals(Duration.ofHours(1), retrain.window());
        assertEquals("ou", retrain.settings().objective());
        Map<String, StreamProfile> profiles = new java.util.HashMap<>();
        retrain.profiles().forEach(p -> profiles.put(p.name(), p));
        assertEquals(List.of("x", "y"), profiles.get("pedestrians").features());
        assertEquals(4, profiles.get("pedestrians").context().window());
        assertEquals(List.of("temperature_c", "humidity_pct"), profiles.get("sensor-temperature").features());
        // The demo streams use the default time features; the fitters' guard keeps the clock columns the data covers.
        assertTrue(profiles.get("sensor-temperature").context().timeFeatures());
        assertEquals(new io.flowcast.flow.ClockCoverage(1, 7), retrain.settings().clock());
    }

    @Test
    void aOneShotRunAgainstTheBrokerSkipsStreamsWithoutEnoughRecordsAndExitsCleanly() {
        System.setProperty("quarkus.kafka-streams.bootstrap-servers", KafkaBrokerResource.bootstrapServers());
        System.setProperty("flowcast.registry.cache-dir", "target/retrain-job-cache");
        try {
            assertEquals(0, RetrainJob.run());
        } finally {
            System.clearProperty("quarkus.kafka-streams.bootstrap-servers");
            System.clearProperty("flowcast.registry.cache-dir");
        }
    }
}
