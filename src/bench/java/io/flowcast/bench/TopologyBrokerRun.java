package io.flowcast.bench;

import io.flowcast.anomaly.EntityEvidence;
import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.EmbeddedKafkaBroker;
import io.flowcast.embedded.TopicProvisioner;
import io.flowcast.flow.ContextSpec;
import io.flowcast.serving.StreamProfile;
import io.flowcast.serving.WarmupModelCatalog;
import io.flowcast.topology.EvidenceStreams;
import io.flowcast.topology.ScoringMetrics;
import io.flowcast.topology.ScoringTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * One measured run: a fresh in-JVM broker, the scoring application with the given processing guarantee, a producer
 * and a read_committed consumer of the scores, all in this JVM (as on the 2-core target machine).
 */
final class TopologyBrokerRun implements AutoCloseable {

    private static final String STREAMS_PREFIX = "bench.topology.streams.";

    private final Path root;
    private final EmbeddedKafkaBroker broker;
    private final KafkaStreams streams;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long runningSince;

    TopologyBrokerRun(String guarantee, int partitions, int threads) throws IOException, InterruptedException {
        this(guarantee, partitions, threads, false, Map.of());
    }

    TopologyBrokerRun(String guarantee, int partitions, int threads, boolean passThrough)
            throws IOException, InterruptedException {
        this(guarantee, partitions, threads, passThrough, Map.of());
    }

    /**
     * @param passThrough run a topology that copies each input record unchanged to {@code flowcast.scores} (no
     *                    reading, no state, no scoring) under the same settings: what the broker, the clients and
     *                    Kafka Streams cost on their own, the bound any scoring topology stays under on this machine
     * @param streamsSettings Kafka Streams / client settings over the bench's defaults (and under the
     *                    {@code bench.topology.streams.*} system properties): the low-latency setting's overrides
     */
    TopologyBrokerRun(String guarantee, int partitions, int threads, boolean passThrough,
            Map<String, Object> streamsSettings) throws IOException, InterruptedException {
        root = Files.createTempDirectory("flowcast-bench-topology");
        broker = EmbeddedKafkaBroker.start(root.resolve("kafka"), 0, Map.of());
        String servers = broker.bootstrapServers();
        TopicProvisioner.ensureTopics(servers, partitions, (short) 1);
        StreamProfile profile = new StreamProfile(TopologyFeed.STREAM, List.of("latency_ms", "requests_per_s"),
                new ContextSpec(8, true), 0.005);
        ScoringTopology.Options options = new ScoringTopology.Options(32, Duration.ofHours(1), 1 << 20,
                "pedestrians").withBatching(256, Duration.ofMillis(5));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "flowcast-bench");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        config.put(StreamsConfig.STATE_DIR_CONFIG, root.resolve("streams").toString());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        config.putAll(streamsSettings);
        // Any Kafka Streams / client setting for experiments: -Dbench.topology.streams.producer.linger.ms=5 and so on.
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith(STREAMS_PREFIX))
                .forEach(key -> config.put(key.substring(STREAMS_PREFIX.length()), System.getProperty(key)));
        // -Dbench.topology.evidence=true: the stream keeps live alarm evidence per entity (default settings).
        EvidenceStreams evidence = Boolean.getBoolean("bench.topology.evidence") ? new EvidenceStreams(
                new EntityEvidence(EntityEvidence.Settings.defaults()), List.of(TopologyFeed.STREAM))
                : EvidenceStreams.NONE;
        Topology topology = passThrough ? passThrough()
                : ScoringTopology.build(new WarmupModelCatalog(List.of(profile), 300, 400, 1e-3), options,
                        evidence, new ScoringMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
        streams = new KafkaStreams(topology, config);
        streams.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("streams not running: " + streams.state());
            }
            Thread.sleep(50);
        }
        runningSince = System.nanoTime();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024), new ByteArraySerializer(), new ByteArraySerializer());
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                Integer.getInteger("bench.topology.reader.fetch-max-wait-ms", 500)), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(TopicNames.SCORES));
    }

    /**
     * A second reader of the scores that sees them as soon as they reach the broker, before their transaction
     * commits (read_uncommitted): with the read_committed reader it splits the latency into the time to be written
     * and the wait for the commit. For diagnosis only; its own polling costs CPU beside the measured run.
     */
    KafkaConsumer<byte[], byte[]> uncommittedReader() {
        KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-uncommitted-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        reader.subscribe(List.of(TopicNames.SCORES));
        return reader;
    }

    /** The commit interval of the default setting: the service's ({@code kafka-streams.commit.interval.ms}). */
    static int commitIntervalMs() {
        return Integer.getInteger("bench.topology.commit-ms", 100);
    }

    /**
     * Kafka Streams' own view of where the time went since the start: the stream threads' mean and worst commit
     * (cache flush, producer flush, offsets and transaction commit), and commits and polls per thread and second:
     * the commit period, which the stream thread's loop stretches beyond {@code commit.interval.ms}.
     */
    String commitSummary() {
        double latencyAvg = 0;
        double latencyMax = 0;
        double commits = 0;
        double polls = 0;
        int threads = 0;
        for (var entry : streams.metrics().entrySet()) {
            var name = entry.getKey();
            if (!"stream-thread-metrics".equals(name.group())) {
                continue;
            }
            Object value = entry.getValue().metricValue();
            if (!(value instanceof Double d) || d.isNaN()) {
                continue;
            }
            switch (name.name()) {
                case "commit-latency-avg" -> {
                    latencyAvg += d;
                    threads++;
                }
                case "commit-latency-max" -> latencyMax = Math.max(latencyMax, d);
                case "commit-total" -> commits += d;
                case "poll-total" -> polls += d;
                default -> { }
            }
        }
        double seconds = (System.nanoTime() - runningSince) / 1e9;
        return String.format("commits: %.1f ms mean, %.0f ms worst (last minute); per thread and second: %.1f commits,"
                + " %.0f polls", threads == 0 ? Double.NaN : latencyAvg / threads, latencyMax,
                commits / Math.max(1, threads) / seconds, polls / Math.max(1, threads) / seconds);
    }

    private static Topology passThrough() {
        Topology topology = new Topology();
        topology.addSource("events", new ByteArrayDeserializer(), new ByteArrayDeserializer(), TopicNames.EVENTS);
        topology.addSink("scores", TopicNames.SCORES, new ByteArraySerializer(), new ByteArraySerializer(), "events");
        return topology;
    }

    void send(TopologyFeed feed, long i) {
        producer.send(new ProducerRecord<>(TopicNames.EVENTS, null, System.currentTimeMillis(), feed.key(i),
                feed.value(i)));
    }

    void flush() {
        producer.flush();
    }

    ConsumerRecords<byte[], byte[]> poll() {
        return consumer.poll(Duration.ofMillis(50));
    }

    @Override
    public void close() throws IOException {
        producer.close();
        consumer.close();
        streams.close(Duration.ofSeconds(10));
        broker.close();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
