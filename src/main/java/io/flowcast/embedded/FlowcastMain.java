package io.flowcast.embedded;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The service's entry point. Kafka Streams needs its bootstrap servers when Quarkus starts, so the embedded broker
 * must be up before: when no external cluster is configured ({@code KAFKA_BOOTSTRAP_SERVERS}, or the Quarkus key
 * {@code quarkus.kafka-streams.bootstrap-servers}), this starts Kafka's KRaft broker in-process, points the service
 * at it and marks the run as embedded (which turns the demo feed on). It then creates the missing topics and runs
 * Quarkus. On Ctrl-C Quarkus stops first (streams commit and close), then the broker.
 */
@QuarkusMain
public final class FlowcastMain {

    private static final Logger LOG = Logger.getLogger(FlowcastMain.class);
    private static final DateTimeFormatter CONSOLE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    /** Set (as a system property) to {@code true} when this process runs the embedded broker. */
    public static final String EMBEDDED_ACTIVE = "flowcast.embedded.active";

    private FlowcastMain() {
    }

    public static void main(String... args) {
        if (args.length > 0 && "retrain".equals(args[0])) {
            // The one-shot retrainer (Kubernetes CronJob): no broker, no streams, no HTTP.
            System.exit(io.flowcast.retrain.RetrainJob.run());
        }
        LaunchSettings settings = LaunchSettings.load();
        EmbeddedKafkaBroker broker = null;
        String bootstrapServers;
        if (settings.embedBroker()) {
            broker = startBroker(settings);
            bootstrapServers = broker.bootstrapServers();
            System.setProperty("quarkus.kafka-streams.bootstrap-servers", bootstrapServers);
            System.setProperty("kafka.bootstrap.servers", bootstrapServers);
            System.setProperty(EMBEDDED_ACTIVE, "true");
            if (settings.groupInstanceId().isEmpty()) {
                // A restarted broker remembers the last run's group member and would hold the partitions until its
                // session times out; a static member id lets the new run take them over at once.
                System.setProperty(LaunchSettings.STATIC_MEMBER_KEY, "flowcast-embedded");
            }
        } else {
            bootstrapServers = settings.externalBootstrapServers().orElseThrow(() -> new IllegalStateException(
                    "flowcast.embedded.enabled=never but no KAFKA_BOOTSTRAP_SERVERS is set"));
            LOG.infof("Using the Kafka cluster at %s", bootstrapServers);
        }
        if (settings.createTopics()) {
            TopicProvisioner.ensureTopics(bootstrapServers, settings.partitions(), settings.replicationFactor());
        }
        int exitCode = run(broker, args);
        if (!ApplicationLifecycleManager.isVmShuttingDown()) {
            System.exit(exitCode);
        }
    }

    /** Runs Quarkus until it stops, then stops the broker; returns the exit code. */
    private static int run(EmbeddedKafkaBroker broker, String... args) {
        CountDownLatch brokerClosed = new CountDownLatch(1);
        if (broker != null) {
            // On a signal the JVM halts when its shutdown hooks end. Quarkus' hook ends once the application has
            // stopped, which is when this thread only starts closing the broker: hold the JVM until it is closed.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    brokerClosed.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "flowcast-broker-shutdown"));
        }
        AtomicInteger exitCode = new AtomicInteger();
        try {
            // The exit handler only records the code: System.exit here would block forever during a signal-driven
            // shutdown and the broker would never be closed.
            Quarkus.run(Service.class, (code, failure) -> exitCode.set(code), args);
        } finally {
            if (broker != null) {
                broker.close();
                // Quarkus has shut its logging down by now: say it on the console directly.
                System.out.printf("%s INFO  [%s] Embedded Kafka broker stopped cleanly; its data stays in %s "
                        + "(flowcast.embedded.clean-start=true starts afresh)%n",
                        LocalDateTime.now().format(CONSOLE_TIME), FlowcastMain.class.getName(), broker.logDir());
            }
            brokerClosed.countDown();
        }
        return exitCode.get();
    }

    private static EmbeddedKafkaBroker startBroker(LaunchSettings settings) {
        if (settings.cleanStart()) {
            deleteRecursively(settings.dataDir());
            deleteRecursively(settings.streamsStateDir());
        }
        int port = settings.port();
        if (port != 0 && !EmbeddedKafkaBroker.isPortFree(port)) {
            LOG.warnf("Port %d is taken; the embedded broker listens on a free port instead", port);
            port = 0;
        }
        long started = System.nanoTime();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(settings.dataDir(), port, Map.of());
        LOG.infof("Embedded Kafka broker (KRaft) up at %s in %d ms; data in %s", broker.bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000, broker.logDir());
        return broker;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir, e);
        }
        LOG.infof("Clean start: deleted %s", dir);
    }

    /** The long-running service: waits until it is told to stop. */
    public static final class Service implements QuarkusApplication {
        @Override
        public int run(String... args) {
            Quarkus.waitForExit();
            return 0;
        }
    }
}
