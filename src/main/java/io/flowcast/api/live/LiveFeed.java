package io.flowcast.api.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.contract.TopicNames;
import io.flowcast.ops.LiveNll;
import io.flowcast.serving.ScoringSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads the service's topics for the dashboard with a plain consumer: positions (flowcast.trajectories), scores,
 * forecasts and alerts. Every instance reads every partition (assigned, not subscribed: each page must see the whole
 * scene whichever instance serves it), committed records only, from {@code backlog} records before the end of each
 * partition. Each poll becomes one {@link LiveMessage} batch for the pages, and scores feed the live NLL.
 */
@ApplicationScoped
public class LiveFeed {

    private static final Logger LOG = Logger.getLogger(LiveFeed.class);
    static final List<String> TOPICS = List.of(TopicNames.TRAJECTORIES, TopicNames.SCORES, TopicNames.FORECASTS,
            TopicNames.ALERTS);
    /** How often topics that did not exist yet are looked for again. */
    private static final Duration TOPIC_RECHECK = Duration.ofSeconds(15);
    private static final int MAX_ENTITIES = 500;

    @Inject
    LiveSettings settings;

    @Inject
    ScoringSettings scoring;

    @Inject
    LiveNll liveNll;

    @ConfigProperty(name = "quarkus.kafka-streams.bootstrap-servers")
    Optional<String> streamsBootstrapServers;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    Optional<String> bootstrapServers;

    private final BroadcastProcessor<LiveMessage> updates = BroadcastProcessor.create();
    private LiveState state;
    private LiveRecords records;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean assignedOnce;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        state = new LiveState(settings.pathLength(), settings.scoresPerEntity(), MAX_ENTITIES);
        records = new LiveRecords(scoring.trajectoryStream());
        if (!settings.enabled()) {
            return;
        }
        String servers = streamsBootstrapServers.or(() -> bootstrapServers).orElse("localhost:9092");
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.GROUP_ID_CONFIG, "flowcast-dashboard",
                ConsumerConfig.CLIENT_ID_CONFIG, "flowcast-dashboard-feed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "flowcast-live-feed");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        updates.onComplete();
    }

    /** The recent past, for a page that just connected. */
    public LiveMessage snapshot() {
        return state.snapshot();
    }

    /** Every batch from now on. */
    public Multi<LiveMessage> updates() {
        return updates;
    }

    /** Whether the feed has found and positioned on every topic (tests wait for it). */
    public boolean assigned() {
        return assignedOnce;
    }

    private void run() {
        Set<TopicPartition> assigned = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
        long nextTopicCheck = 0;
        try (KafkaConsumer<byte[], byte[]> feed = consumer) {
            while (true) {
                // Until every topic is found (forecasts and alerts may be created after the service starts).
                if (!assignedOnce && System.nanoTime() >= nextTopicCheck) {
                    assign(feed, assigned);
                    nextTopicCheck = System.nanoTime() + TOPIC_RECHECK.toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(1000);
                    continue;
                }
                publish(feed.poll(Duration.ofMillis(250)));
            }
        } catch (WakeupException e) {
            LOG.debug("Live feed stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Live feed stopped: the dashboard and the NLL drift gauge no longer update");
        }
    }

    /** Assigns the partitions of every topic that exists, new ones positioned {@code backlog} before their end. */
    private void assign(KafkaConsumer<byte[], byte[]> feed, Set<TopicPartition> assigned) {
        List<TopicPartition> fresh = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> partitions;
            try {
                partitions = feed.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                if (e instanceof WakeupException wakeup) {
                    throw wakeup;
                }
                LOG.debugf("Live feed: no metadata for %s yet (%s)", topic, e.getMessage());
                continue;
            }
            for (PartitionInfo partition : partitions == null ? List.<PartitionInfo>of() : partitions) {
                TopicPartition tp = new TopicPartition(topic, partition.partition());
                if (!assigned.contains(tp)) {
                    fresh.add(tp);
                }
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        assigned.addAll(fresh);
        feed.assign(assigned);
        Map<TopicPartition, Long> ends = feed.endOffsets(fresh);
        Map<TopicPartition, Long> begins = feed.beginningOffsets(fresh);
        for (TopicPartition tp : fresh) {
            feed.seek(tp, Math.max(begins.get(tp), ends.get(tp) - settings.backlog()));
        }
        Set<String> topics = new TreeSet<>();
        assigned.forEach(tp -> topics.add(tp.topic()));
        assignedOnce = topics.containsAll(TOPICS);
        LOG.debugf("Live feed reads %d partitions of %s", assigned.size(), topics);
    }

    private void publish(ConsumerRecords<byte[], byte[]> polled) {
        if (polled.isEmpty()) {
            return;
        }
        List<LiveMessage.Position> positions = new ArrayList<>();
        List<LiveMessage.Score> scores = new ArrayList<>();
        Map<String, JsonNode> forecasts = new HashMap<>();
        List<JsonNode> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : polled) {
            switch (record.topic()) {
                case TopicNames.TRAJECTORIES -> records.position(record.value()).ifPresent(positions::add);
                case TopicNames.SCORES -> records.score(record.value()).ifPresent(scored -> {
                    scores.add(scored.score());
                    if (scored.model() != null) {
                        liveNll.observe(new ModelRef(scored.model(), scored.version()), scored.logDensity());
                    }
                });
                // Only an agent's latest forecast (by event time, as the page and the snapshot keep it) matters.
                // Arrival order is not event order: a forecast published by another producer (or a late one of
                // the topology's) can follow a newer one within the same poll.
                case TopicNames.FORECASTS -> records.forecast(record.value())
                        .ifPresent(f -> LiveRecords.keepNewest(forecasts, f));
                case TopicNames.ALERTS -> records.alert(record.value()).ifPresent(alerts::add);
                default -> {
                }
            }
        }
        LiveMessage batch = new LiveMessage(LiveMessage.BATCH, positions, scores, new ArrayList<>(forecasts.values()),
                alerts);
        if (!batch.isEmpty()) {
            state.apply(batch);
            updates.onNext(batch);
        }
    }
}
