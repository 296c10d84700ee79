package io.flowcast.bench;

import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.EmbeddedKafkaBroker;
import io.flowcast.embedded.TopicProvisioner;
import io.flowcast.flow.ContextSpec;
import io.flowcast.registry.ModelRegistry;
import io.flowcast.retrain.RetrainConfig;
import io.flowcast.retrain.RetrainOutcome;
import io.flowcast.retrain.Retrainer;
import io.flowcast.retrain.StreamObservation;
import io.flowcast.retrain.TopicWindowReader;
import io.flowcast.serving.StreamProfile;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.Config;

/**
 * A whole retraining of one stream of {@code n} event records (d = 8), through the real pipeline with the service's
 * retrain configuration: the records are written to {@code flowcast.events} on an in-JVM broker first (not timed),
 * then the timed part reads the window back from the topic by timestamp ({@link TopicWindowReader}), splits it by
 * event time, trains the candidate (objective, budgets and early stopping as configured), exports, calibrates,
 * evaluates it against the live version, gates and publishes it to the registry topic and activates it. A first
 * retraining makes v1; a second one, on the same records, is evaluated against it (the live model's scoring is part
 * of every later retraining), and is the one reported.
 *
 * <p>The context is the entity's last 3 records and their 2 differences (k = 40: the context builder makes no
 * k = 32 for d = 8, so this is the next larger, more work than the k = 32).
 */
final class RetrainPipelineBench {

    static final int D = 8;
    static final ContextSpec CONTEXT = new ContextSpec(3, false);

    /** The figures of one timed retraining. */
    record Result(int records, double readSeconds, double retrainSeconds, double cpuSeconds, RetrainOutcome outcome,
            double produceSeconds, int contextDimension, Map<String, String> settings) {

        double totalSeconds() {
            return readSeconds + retrainSeconds;
        }
    }

    private RetrainPipelineBench() {
    }

    static Result run(int n, Map<String, String> overrides) throws Exception {
        Path root = Files.createTempDirectory("flowcast-retrain-bench");
        List<String> features = List.of("f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7");
        StreamProfile profile = new StreamProfile("retrain-bench", features, CONTEXT, 0.01);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("flowcast.streams.retrain-bench.features", String.join(",", features));
        properties.put("flowcast.streams.retrain-bench.window", Integer.toString(CONTEXT.window()));
        properties.put("flowcast.streams.retrain-bench.time-features", "false");
        properties.put("flowcast.retrain.max-records", Integer.toString(n));
        properties.put("flowcast.retrain.window", "PT2H");
        properties.putAll(overrides);
        RetrainConfig config = RetrainConfig.from(config(properties));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(root.resolve("kafka"), 0,
                Map.of("log.retention.bytes", "-1"))) {
            TopicProvisioner.ensureTopics(broker.bootstrapServers(), 1, (short) 1);
            long now = System.currentTimeMillis();
            long produceStart = System.nanoTime();
            produce(broker.bootstrapServers(), n, now - 3_000_000L);
            double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
            System.out.printf("wrote %d records to %s in %.1f s (not timed)%n", n, TopicNames.EVENTS, produceSeconds);
            try (ModelRegistry registry = new ModelRegistry(broker.bootstrapServers(), TopicNames.MODELS, null,
                    512 * 1024)) {
                registry.awaitCaughtUp(Duration.ofSeconds(60));
                TopicWindowReader reader = new TopicWindowReader(broker.bootstrapServers(), "none");
                Result first = timed(n, reader, registry, config, profile, now, produceSeconds, properties);
                System.out.printf("first retraining (no live model): %s%n", describe(first));
                Result second = timed(n, reader, registry, config, profile, now, produceSeconds, properties);
                System.out.printf("second retraining (against the live v%d): %s%n", first.outcome().version(),
                        describe(second));
                return second;
            }
        }
    }

    private static Result timed(int n, TopicWindowReader reader, ModelRegistry registry, RetrainConfig config,
            StreamProfile profile, long now, double produceSeconds, Map<String, String> settings) {
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        List<StreamObservation> records = reader.read(List.of(profile), now - config.window().toMillis(), now,
                config.maxRecords()).getOrDefault(profile.name(), List.of());
        double readSeconds = (System.nanoTime() - start) / 1e9;
        RetrainOutcome outcome = new Retrainer(registry, p -> records, config.settings()).retrain(profile);
        double retrainSeconds = (System.nanoTime() - start) / 1e9 - readSeconds;
        double cpu = (processCpuNanos() - cpuStart) / 1e9;
        if (records.size() != n) {
            throw new IllegalStateException("read " + records.size() + " records back, wrote " + n);
        }
        return new Result(records.size(), readSeconds, retrainSeconds, cpu, outcome, produceSeconds,
                CONTEXT.dimension(D), settings);
    }

    static String describe(Result result) {
        RetrainOutcome outcome = result.outcome();
        return String.format("%s v%d in %.1f s wall (read %.1f s + retrain %.1f s), %.1f s CPU of the process; %s;"
                + " candidate %s, live %s; phases %s", outcome.result().label(), outcome.version(),
                result.totalSeconds(), result.readSeconds(), result.retrainSeconds(), result.cpuSeconds(),
                outcome.reason(), outcome.candidate(), outcome.live(), outcome.phases());
    }

    /**
     * Entities each with a nonlinear 8-d autoregression (a slow rotation, a state-dependent scale, a heavy-tailed
     * coordinate), interleaved in event time: the context (last records, differences) carries information.
     */
    private static void produce(String servers, int n, long base) throws Exception {
        int entities = Math.max(1, n / 500);
        double[][] state = new double[entities][D];
        SplittableRandom random = new SplittableRandom(5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.ACKS_CONFIG, "1"), new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> pending = new ArrayList<>();
            StringBuilder json = new StringBuilder(256);
            for (int i = 0; i < n; i++) {
                int e = i % entities;
                double[] s = state[e];
                double scale = Math.exp(0.4 * Math.tanh(s[0]));
                double[] next = new double[D];
                for (int j = 0; j < D; j++) {
                    double noise = j == 7 ? random.nextGaussian() / Math.sqrt(0.5 + random.nextDouble())
                            : random.nextGaussian();
                    next[j] = 0.8 * s[j] + 0.15 * s[(j + 1) % D] - 0.1 * Math.sin(s[(j + 3) % D]) + 0.4 * scale * noise;
                }
                state[e] = next;
                json.setLength(0);
                json.append("{\"entityId\":\"e").append(e).append("\",\"eventTime\":").append(base + 3L * i)
                        .append(",\"stream\":\"retrain-bench\",\"features\":{");
                for (int j = 0; j < D; j++) {
                    json.append(j == 0 ? "" : ",").append("\"f").append(j).append("\":")
                            .append((float) next[j]);
                }
                json.append("}}");
                pending.add(producer.send(new ProducerRecord<>(TopicNames.EVENTS,
                        ("e" + e).getBytes(StandardCharsets.UTF_8), json.toString().getBytes(StandardCharsets.UTF_8))));
                if (pending.size() >= 50_000) {
                    for (Future<RecordMetadata> future : pending) {
                        future.get();
                    }
                    pending.clear();
                }
            }
            for (Future<RecordMetadata> future : pending) {
                future.get();
            }
        }
    }

    private static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(new HashMap<>(properties),
                "retrain-bench", 500)).build();
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }
}
