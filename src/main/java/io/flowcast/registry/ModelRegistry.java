package io.flowcast.registry;

import io.flowcast.contract.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * The model registry on the compacted {@code flowcast.models} topic, so that every instance of the service sees the
 * same models with no other storage. A background thread reads the topic from the beginning and keeps reading;
 * listeners hear of every activation whose artifact is complete and verified (on that thread, in topic order).
 * Publishing writes the artifact in chunks (a model may be larger than a Kafka record), then its manifest; activating
 * writes one record, so a rollback is one record too.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
    /** Versions a publisher tries to claim before giving up (each loss means another publisher took one). */
    private static final int CLAIM_ATTEMPTS = 10;

    private final String topic;
    private final int chunkBytes;
    private final RegistryState state;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Consumer<ModelVersionActivated>> listeners = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private final Object caughtUpLock = new Object();
    private Map<TopicPartition, Long> startEnd;
    private boolean caughtUp;
    private volatile boolean running = true;
    /** This instance as a claimant of versions. */
    private final String claimantId = "registry-" + UUID.randomUUID();
    private final java.util.concurrent.atomic.AtomicLong claims = new java.util.concurrent.atomic.AtomicLong();
    /** The offset of the last record the reader has folded, per partition (guarded by itself). */
    private final Map<TopicPartition, Long> applied = new HashMap<>();

    /** An activation that took effect: the version that serves from now on. */
    public record ModelVersionActivated(Activation activation, ModelVersion version) {
    }

    /**
     * @param bootstrapServers the cluster
     * @param topic            the registry topic (normally {@link TopicNames#MODELS})
     * @param cacheDirectory   where verified artifacts are kept across restarts; null for memory only
     * @param chunkBytes       the largest artifact slice per record (below the topic's max.message.bytes)
     */
    public ModelRegistry(String bootstrapServers, String topic, Path cacheDirectory, int chunkBytes) {
        if (chunkBytes < 1024) {
            throw new IllegalArgumentException("chunk size must be at least 1 KiB, got " + chunkBytes);
        }
        this.topic = Objects.requireNonNull(topic, "topic");
        this.chunkBytes = chunkBytes;
        this.state = new RegistryState(new ArtifactCache(cacheDirectory));
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.CLIENT_ID_CONFIG, "flowcast-registry-writer-" + UUID.randomUUID(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1 << 20, chunkBytes + (64 << 10))),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "flowcast-registry-reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Math.max(1 << 20, chunkBytes + (64 << 10))),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.reader = new Thread(this::readLoop, "flowcast-registry-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static ModelRegistry open(String bootstrapServers, Path cacheDirectory) {
        return new ModelRegistry(bootstrapServers, TopicNames.MODELS, cacheDirectory, 512 * 1024);
    }

    /**
     * Calls {@code listener} for every activation that takes effect from now on, and at once for the versions
     * that serve already (so a late listener misses nothing).
     */
    public void addListener(Consumer<ModelVersionActivated> listener) {
        List<ModelVersionActivated> current = new ArrayList<>();
        synchronized (state) {
            listeners.add(listener);
            for (String name : state.names()) {
                state.serving(name).ifPresent(version -> current.add(new ModelVersionActivated(
                        state.activation(name).orElseThrow(), state.manifest(name, version).orElseThrow())));
            }
        }
        current.forEach(listener);
    }

    /** Waits until the reader has read what the topic held when the registry opened. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (caughtUpLock) {
            while (!caughtUp) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(caughtUpLock, left);
            }
            return true;
        }
    }

    /** The version of {@code name} that serves (its last activation whose artifact verified). */
    public Optional<ModelVersion> serving(String name) {
        synchronized (state) {
            return state.serving(name).flatMap(version -> state.manifest(name, version));
        }
    }

    public Optional<ModelVersion> manifest(String name, int version) {
        synchronized (state) {
            return state.manifest(name, version);
        }
    }

    /** The verified artifact bytes of a version, if this instance has them. */
    public Optional<byte[]> artifact(String name, int version) {
        synchronized (state) {
            return state.artifact(name, version);
        }
    }

    /** Artifacts refused so far for a checksum or length mismatch. */
    public long refusedArtifacts() {
        synchronized (state) {
            return state.refusedCount();
        }
    }

    /** Manifests whose artifact was found in the local cache (not reassembled from chunks). */
    public long cacheHits() {
        synchronized (state) {
            return state.cacheHits();
        }
    }

    /** The version number a new version of {@code name} takes (call {@link #awaitCaughtUp} first). */
    public int nextVersion(String name) {
        synchronized (state) {
            return state.nextVersion(name);
        }
    }

    /**
     * Claims the next free version number of {@code name} for this instance: a claim record is written and read
     * back, and the first claim of a number on the topic wins, so two retrainers that start at once get different
     * numbers (the loser moves on to the next). A claimed number that is never published stays a gap.
     *
     * @throws IllegalStateException when no number could be claimed (the topic cannot be written or read back)
     */
    public int claimNextVersion(String name) {
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            int version = nextVersion(name);
            if (claim(name, version)) {
                return version;
            }
            LOG.infof("%s v%d was claimed by another publisher; trying the next", name, version);
        }
        throw new IllegalStateException("could not claim a version of " + name + " in " + CLAIM_ATTEMPTS
                + " attempts");
    }

    /**
     * Writes a claim of {@code version} and waits until it is read back; true when this claim is the first. Each
     * claim carries its own token, so two threads of one instance claiming the same number are told apart too.
     */
    boolean claim(String name, int version) {
        String token = claimantId + "#" + claims.incrementAndGet();
        RecordMetadata written = await(List.of(producer.send(new ProducerRecord<>(topic,
                RegistryKeys.claim(name, version), token.getBytes(java.nio.charset.StandardCharsets.UTF_8)))))
                .get(0);
        awaitApplied(new TopicPartition(written.topic(), written.partition()), written.offset());
        synchronized (state) {
            return state.claimant(name, version).map(token::equals).orElse(false);
        }
    }

    private void awaitApplied(TopicPartition partition, long offset) {
        long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
        synchronized (applied) {
            while (applied.getOrDefault(partition, -1L) < offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    throw new IllegalStateException("the registry reader did not read back offset " + offset
                            + " of " + partition);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(applied, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the registry reader", e);
                }
            }
        }
    }

    /**
     * Publishes version {@code draft.version()} of {@code draft.name()} (normally from {@link #claimNextVersion};
     * the artifact names the same version): chunks first, then the manifest. Does not activate it. A version this
     * instance has not claimed is claimed first.
     *
     * @param draft    the manifest; its checksum, length and chunk count are filled in here
     * @param artifact the artifact bytes (a FlowArtifact zip)
     * @return the published manifest
     * @throws IllegalStateException when that version exists already or another publisher claimed it
     */
    public ModelVersion publish(ModelVersion draft, byte[] artifact) {
        int version = draft.version();
        boolean claimed;
        synchronized (state) {
            if (state.manifest(draft.name(), version).isPresent()) {
                throw new IllegalStateException(draft.name() + " v" + version + " exists already; next is v"
                        + state.nextVersion(draft.name()));
            }
            Optional<String> claimant = state.claimant(draft.name(), version);
            if (claimant.isPresent() && !claimant.get().startsWith(claimantId + "#")) {
                throw new IllegalStateException(draft.name() + " v" + version + " was claimed by another publisher");
            }
            if (claimant.isEmpty() && version < state.nextVersion(draft.name())) {
                throw new IllegalStateException(draft.name() + " v" + version + " exists already; next is v"
                        + state.nextVersion(draft.name()));
            }
            claimed = claimant.isPresent();
        }
        if (!claimed && !claim(draft.name(), version)) {
            throw new IllegalStateException(draft.name() + " v" + version + " was claimed by another publisher");
        }
        int count = Math.max(1, (artifact.length + chunkBytes - 1) / chunkBytes);
        ModelVersion sealed = draft.sealed(RegistryJson.sha256(artifact), artifact.length, count);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int from = i * chunkBytes;
            byte[] part = java.util.Arrays.copyOfRange(artifact, from, Math.min(artifact.length, from + chunkBytes));
            sent.add(producer.send(new ProducerRecord<>(topic, RegistryKeys.chunk(sealed.name(), version, i), part)));
        }
        sent.add(producer.send(new ProducerRecord<>(topic, RegistryKeys.version(sealed.name(), version),
                RegistryJson.write(sealed))));
        await(sent);
        LOG.infof("Published %s", sealed);
        return sealed;
    }

    /** Makes {@code version} the one that serves {@code name} everywhere (also how a rollback is done). */
    public Activation activate(String name, int version, String reason) {
        Activation activation = new Activation(name, version, System.currentTimeMillis(), reason);
        await(List.of(producer.send(new ProducerRecord<>(topic, RegistryKeys.active(name),
                RegistryJson.write(activation)))));
        LOG.infof("Activated %s v%d (%s)", name, version, reason);
        return activation;
    }

    /** Writes a raw record (tests and tools: e.g. a manifest whose artifact is damaged). */
    void sendRaw(byte[] key, byte[] value) {
        await(List.of(producer.send(new ProducerRecord<>(topic, key, value))));
    }

    private static List<RecordMetadata> await(List<Future<RecordMetadata>> futures) {
        try {
            List<RecordMetadata> written = new ArrayList<>(futures.size());
            for (Future<RecordMetadata> future : futures) {
                written.add(future.get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
            return written;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to the registry", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write to the registry: " + e.getMessage(), e);
        }
    }

    private void readLoop() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            startEnd = new HashMap<>(consumer.endOffsets(partitions));
            checkCaughtUp();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    List<RegistryState.Change> changes;
                    synchronized (state) {
                        changes = state.apply(record.key(), record.value());
                    }
                    synchronized (applied) {
                        applied.merge(new TopicPartition(record.topic(), record.partition()), record.offset(),
                                Math::max);
                        applied.notifyAll();
                    }
                    for (RegistryState.Change change : changes) {
                        ModelVersionActivated event = new ModelVersionActivated(change.activation(), change.version());
                        for (Consumer<ModelVersionActivated> listener : listeners) {
                            try {
                                listener.accept(event);
                            } catch (RuntimeException e) {
                                LOG.errorf(e, "A registry listener failed on %s v%d", event.version().name(),
                                        event.version().version());
                            }
                        }
                    }
                }
                checkCaughtUp();
            }
        } catch (WakeupException e) {
            // close() woke the reader up
        } catch (RuntimeException e) {
            if (running) {
                LOG.errorf(e, "The registry reader stopped");
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void checkCaughtUp() {
        if (caughtUp) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> end : startEnd.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return;
            }
        }
        synchronized (caughtUpLock) {
            caughtUp = true;
            caughtUpLock.notifyAll();
        }
    }

    /** Names of the models this instance has seen on the topic. */
    public Set<String> names() {
        synchronized (state) {
            return Set.copyOf(state.names());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
