package io.flowcast.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.contract.TopicContracts;
import io.flowcast.contract.TopicNames;
import io.flowcast.contract.ValidationResult;
import io.flowcast.flow.ConditionalDensity;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.GaussianDensity;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.StreamModel;
import io.flowcast.serving.StreamProfile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The real topology under {@link TopologyTestDriver}, with the topics and helpers the topology tests share. */
final class TopologyHarness implements AutoCloseable {

    static final long NOW = 1_700_000_000_000L;
    static final long T0 = 1_699_999_000_000L;
    static final ContextSpec CONTEXT = new ContextSpec(2, false);
    static final StreamProfile SINE = new StreamProfile("test-sine", java.util.List.of("value"), CONTEXT, 0.05);

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> events;
    final TestInputTopic<byte[], byte[]> trajectories;
    final TestOutputTopic<String, AnomalyDescriptor> scores;
    final TestOutputTopic<byte[], DeadLetter> deadLetters;

    TopologyHarness(ModelCatalog catalog, ScoringTopology.Options options, Path stateDir) {
        this(catalog, options, EvidenceStreams.NONE, stateDir);
    }

    TopologyHarness(ModelCatalog catalog, ScoringTopology.Options options, EvidenceStreams evidence, Path stateDir) {
        Topology topology = ScoringTopology.build(catalog, options, evidence, new ScoringMetrics(registry),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-harness");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, config);
        events = driver.createInputTopic(TopicNames.EVENTS, new ByteArraySerializer(), new ByteArraySerializer());
        trajectories = driver.createInputTopic(TopicNames.TRAJECTORIES, new ByteArraySerializer(),
                new ByteArraySerializer());
        scores = driver.createOutputTopic(TopicNames.SCORES, new StringDeserializer(),
                Topics.SCORES.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(TopicNames.DLQ, new ByteArrayDeserializer(),
                Topics.DLQ.valueSerde().deserializer());
    }

    void pipeEvent(String key, byte[] value, long timestamp) {
        events.pipeInput(new TestRecord<>(bytes(key), value, Instant.ofEpochMilli(timestamp)));
    }

    void sine(String entity, long time, double value) {
        pipeEvent(entity, sineEvent(entity, time, value), time);
    }

    /** Lets the micro-batch's wall-clock punctuation fire. */
    void tick(Duration wait) {
        driver.advanceWallClockTime(wait);
    }

    double count(String meter, String tag, String value) {
        return registry.counter(meter, tag, value).count();
    }

    @Override
    public void close() {
        driver.close();
    }

    static byte[] sineEvent(String entity, long time, double value) {
        return bytes("{\"entityId\":\"" + entity + "\",\"eventTime\":" + time
                + ",\"stream\":\"test-sine\",\"features\":{\"value\":" + value + "}}");
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** What the topology publishes is what the topic's contract promises its consumers. */
    static void assertMeetsContract(String topic, byte[] bytes) {
        ValidationResult result = TopicContracts.shared().forTopic(topic).read(bytes, 1 << 20).result();
        assertTrue(result.isValid(), topic + ": " + result + " in " + new String(bytes, StandardCharsets.UTF_8));
    }

    /** A linear-Gaussian model of the sine stream, fitted on four fixed points: x ~ its context's mean. */
    static StreamModel sineModel(String name, int version, ConditionalDensity wrap) {
        return new StreamModel(name, version, java.util.List.of("value"), CONTEXT, wrap,
                HeldOutCalibration.of(new double[] {0.5, 1, 1.5, 2, 3, 5, 8, 13, 21, 34}));
    }

    static ConditionalDensity sineDensity() {
        return GaussianDensity.fit(new float[] {0, 1, 2, 3, 1.5f, 2.5f}, new float[] {0, 1, 2, 3, 1, 2, 3, 4, 1, 1,
            1, 1, 1, 2, 1, 2, 3, 1}, 6, 1, 3, 1e-2);
    }

    /** Serves the sine stream with whichever model is current; {@link #swap} replaces it, as a registry would. */
    static final class SwappableCatalog implements ModelCatalog {
        private final Map<String, StreamModel> models = new ConcurrentHashMap<>();
        private final StreamProfile profile;

        SwappableCatalog(StreamProfile profile, StreamModel first) {
            this.profile = profile;
            models.put(profile.name(), first);
        }

        void swap(StreamModel next) {
            models.put(profile.name(), next);
        }

        @Override
        public Set<String> streams() {
            return Set.of(profile.name());
        }

        @Override
        public Optional<StreamProfile> profile(String stream) {
            return Optional.of(profile).filter(p -> p.name().equals(stream));
        }

        @Override
        public Optional<StreamModel> current(String stream) {
            return Optional.ofNullable(models.get(stream));
        }
    }

    /** Counts the model calls a density receives. */
    static final class CountingDensity implements ConditionalDensity {
        final ConditionalDensity inner;
        final AtomicInteger logProbCalls = new AtomicInteger();
        final AtomicInteger sampleCalls = new AtomicInteger();

        CountingDensity(ConditionalDensity inner) {
            this.inner = inner;
        }

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public int contextDimension() {
            return inner.contextDimension();
        }

        @Override
        public float[] logProb(float[] x, float[] c, int batch) {
            logProbCalls.incrementAndGet();
            return inner.logProb(x, c, batch);
        }

        @Override
        public float[] sample(float[] c, int batch, int n, long seed) {
            return inner.sample(c, batch, n, seed);
        }

        @Override
        public float[] sampleEach(float[] c, int batch, int n, long[] seeds) {
            sampleCalls.incrementAndGet();
            return ConditionalDensity.super.sampleEach(c, batch, n, seeds);
        }
    }
}
