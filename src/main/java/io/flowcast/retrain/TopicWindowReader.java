package io.flowcast.retrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowcast.contract.TopicNames;
import io.flowcast.serving.StreamProfile;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the training window from the input topics: every record of {@code flowcast.events} and
 * {@code flowcast.trajectories} whose event time lies in [from, to], seeking each partition by timestamp and reading
 * to the end offsets it had when the read began, keeping the newest {@code maxPerStream} records per stream.
 * Records that do not parse, or lack a stream's features, are skipped (the topology dead-letters them).
 */
public final class TopicWindowReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(500);

    private final String bootstrapServers;
    private final String trajectoryStream;

    /** @param trajectoryStream the stream of trajectory records that name none */
    public TopicWindowReader(String bootstrapServers, String trajectoryStream) {
        this.bootstrapServers = bootstrapServers;
        this.trajectoryStream = trajectoryStream;
    }

    public Map<String, List<StreamObservation>> read(Collection<StreamProfile> profiles, long from, long to,
            int maxPerStream) {
        Map<String, StreamProfile> byName = new HashMap<>();
        profiles.forEach(p -> byName.put(p.name(), p));
        Map<String, ArrayDeque<StreamObservation>> kept = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "flowcast-retrain-reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(TopicNames.EVENTS, TopicNames.TRAJECTORIES)) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, from));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query);
            List<TopicPartition> open = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp start = starts.get(partition);
                long offset = start == null ? end.get(partition) : start.offset();
                consumer.seek(partition, offset);
                if (offset < end.get(partition)) {
                    open.add(partition);
                }
            }
            consumer.pause(partitions.stream().filter(p -> !open.contains(p)).toList());
            while (!open.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    StreamObservation observation = null;
                    String stream = null;
                    try {
                        JsonNode node = JSON.readTree(record.value());
                        stream = streamOf(record.topic(), node);
                        StreamProfile profile = stream == null ? null : byName.get(stream);
                        if (profile != null) {
                            observation = observation(record.topic(), node, profile);
                        }
                    } catch (Exception e) {
                        // unreadable record: the topology dead-letters it; nothing to learn from it here
                    }
                    if (observation != null && observation.eventTime() >= from && observation.eventTime() <= to) {
                        ArrayDeque<StreamObservation> queue = kept.computeIfAbsent(stream, s -> new ArrayDeque<>());
                        queue.addLast(observation);
                        if (queue.size() > maxPerStream) {
                            queue.removeFirst();
                        }
                    }
                }
                open.removeIf(p -> {
                    boolean done = consumer.position(p) >= end.get(p);
                    if (done) {
                        consumer.pause(List.of(p));
                    }
                    return done;
                });
            }
        }
        Map<String, List<StreamObservation>> out = new HashMap<>();
        kept.forEach((stream, queue) -> out.put(stream, new ArrayList<>(queue)));
        return out;
    }

    private String streamOf(String topic, JsonNode node) {
        JsonNode stream = node.get("stream");
        if (stream != null && stream.isTextual()) {
            return stream.textValue();
        }
        return topic.equals(TopicNames.TRAJECTORIES) ? trajectoryStream : null;
    }

    private static StreamObservation observation(String topic, JsonNode node, StreamProfile profile) {
        JsonNode values = topic.equals(TopicNames.TRAJECTORIES) ? node.get("position") : node.get("features");
        JsonNode entity = node.get("entityId");
        JsonNode time = node.get("eventTime");
        if (values == null || entity == null || !entity.isTextual() || time == null || !time.canConvertToLong()) {
            return null;
        }
        float[] x = new float[profile.dimension()];
        for (int j = 0; j < x.length; j++) {
            JsonNode value = values.get(profile.features().get(j));
            if (value == null || !value.isNumber() || !Double.isFinite(value.doubleValue())) {
                return null;
            }
            x[j] = (float) value.doubleValue();
        }
        return new StreamObservation(entity.textValue(), time.longValue(), x);
    }
}
