package io.flowcast.topology;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The key of an entity's latest state: {@code <stream>/<entityId>}, as the topology's history stores key it (stream
 * names cannot contain '/', so the first '/' splits it). The output topics are keyed by the bare entity id, so the
 * state of {@code s/e} lives in the partition of {@code e}: {@link #PARTITIONER} tells Kafka Streams' metadata which.
 */
public final class EntityKey {

    /**
     * The partition of a composite key's entity id, computed as the producer's default partitioner does for a
     * String key (murmur2 of its UTF-8 bytes), which is how the topology's sinks partition scores and forecasts.
     */
    public static final StreamPartitioner<String, Object> PARTITIONER = (topic, key, value, partitions) ->
            Optional.of(Set.of(partitionOf(entityId(key), partitions)));

    private EntityKey() {
    }

    public static String of(String stream, String entityId) {
        return stream + '/' + entityId;
    }

    static String entityId(String key) {
        return key.substring(key.indexOf('/') + 1);
    }

    static int partitionOf(String entityId, int partitions) {
        return Utils.toPositive(Utils.murmur2(entityId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
