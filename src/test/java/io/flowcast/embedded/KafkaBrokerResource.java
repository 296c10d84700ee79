package io.flowcast.embedded;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One in-JVM KRaft broker for the whole test run, with Flowcast's topics, shared by every {@code @QuarkusTest}
 * (and by plain tests through {@link #bootstrapServers()}). Starting a broker costs seconds, so it is started once
 * and stopped when the JVM exits; each test run gets fresh directories, so no state leaks between runs.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafkaBroker broker;
    private static Path root;

    /** The shared broker's address, starting it on first use. */
    public static synchronized String bootstrapServers() {
        if (broker == null) {
            try {
                root = Files.createTempDirectory("flowcast-test-kafka");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            broker = EmbeddedKafkaBroker.start(root.resolve("kafka"), 0, Map.of());
            TopicProvisioner.ensureTopics(broker.bootstrapServers(), 2, (short) 1);
            Runtime.getRuntime().addShutdownHook(new Thread(KafkaBrokerResource::shutdown, "test-broker-shutdown"));
        }
        return broker.bootstrapServers();
    }

    @Override
    public Map<String, String> start() {
        String servers = bootstrapServers();
        return Map.of(
                "quarkus.kafka-streams.bootstrap-servers", servers,
                "kafka.bootstrap.servers", servers,
                // Fresh state for each run: stale RocksDB state from an earlier run belongs to another cluster.
                "kafka-streams.state.dir", root.resolve("streams").toString());
    }

    @Override
    public void stop() {
        // Shared by every test class of the run; closed when the JVM exits.
    }

    private static synchronized void shutdown() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }
}
