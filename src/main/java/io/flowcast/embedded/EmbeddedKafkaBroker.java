package io.flowcast.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Kafka's own KRaft broker, in this JVM: one node that is both controller and broker, listening on loopback. The
 * log directory is formatted on first use and reused afterwards, so topics, offsets and state-store changelogs
 * survive a restart; delete the directory for a clean start.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final Path logDir;
    private final int port;
    private volatile boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path logDir, int port) {
        this.server = server;
        this.logDir = logDir;
        this.port = port;
    }

    /**
     * Starts a broker.
     *
     * @param logDir    the log directory (created and formatted when it holds no broker yet)
     * @param port      the client port on 127.0.0.1; 0 picks a free one
     * @param overrides broker settings that replace the single-node defaults
     */
    public static EmbeddedKafkaBroker start(Path logDir, int port, Map<String, String> overrides) {
        Path dir = logDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's log directory " + dir, e);
        }
        int clientPort = port == 0 ? freePort() : port;
        int controllerPort = freePort();
        Properties config = singleNodeConfig(dir, clientPort, controllerPort);
        config.putAll(overrides);
        if (!Files.exists(dir.resolve("meta.properties"))) {
            format(dir);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, dir, clientPort);
        try {
            server.startup();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** True when nothing listens on {@code port} of the loopback address. */
    public static boolean isPortFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path logDir() {
        return logDir;
    }

    /** Stops the broker and waits for it; the log directory is kept. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties singleNodeConfig(Path dir, int clientPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", String.valueOf(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + "," + CONTROLLER_LISTENER
                + "://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        p.setProperty("log.dirs", dir.toString());
        // One node: every internal topic has one replica.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        // Topics are created explicitly; a typo in a topic name should fail, not create a topic.
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Small thread pools and cleaner buffer: this broker shares the JVM (and a laptop) with the service.
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("background.threads", "2");
        p.setProperty("num.recovery.threads.per.data.dir", "1");
        p.setProperty("log.cleaner.threads", "1");
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        // A demo runs for hours: keep a day, at most 256 MiB per partition.
        p.setProperty("log.retention.hours", "24");
        p.setProperty("log.retention.bytes", String.valueOf(256L * 1024 * 1024));
        p.setProperty("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        return p;
    }

    private static void format(Path dir) {
        // The formatter prints progress lines meant for a terminal; they say nothing the broker's log does not.
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(dir.toString())
                    .addDirectory(dir.toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setHasDynamicQuorum(false)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the broker's log directory " + dir, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback address", e);
        }
    }
}
