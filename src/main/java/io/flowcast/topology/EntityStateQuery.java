package io.flowcast.topology;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Where an entity's latest state lives, and its value when that is here. Kafka Streams' metadata names the instance
 * hosting the entity's partition (its {@code application.server}); this instance reads only its own active stores.
 */
public final class EntityStateQuery {

    /** The outcome of one lookup. */
    public sealed interface Answer {
    }

    /** Hosted here: the published bytes of the latest score and forecast (either null when there is none). */
    public record Found(int partition, byte[] score, byte[] forecast) implements Answer {
    }

    /** Hosted here, and nothing was published about the entity (or not yet read). */
    public record Unknown(int partition) implements Answer {
    }

    /** Another instance hosts it. */
    public record Elsewhere(HostInfo host, int partition) implements Answer {
    }

    /** No instance can answer now: starting, rebalancing, restoring; worth asking again shortly. */
    public record Unavailable(String reason) implements Answer {
    }

    private final KafkaStreams streams;
    private final HostInfo self;

    /**
     * @param self this instance's {@code application.server}; null when none is configured, and then this
     *             instance can only be the only one and reads its stores whatever the metadata says
     */
    public EntityStateQuery(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    public HostInfo self() {
        return self;
    }

    public Answer find(String stream, String entityId) {
        String key = EntityKey.of(stream, entityId);
        if (self == null) {
            return read(key, null);
        }
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(LatestEntityState.SCORES_STORE, key, EntityKey.PARTITIONER);
        } catch (IllegalStateException | InvalidStateStoreException e) {
            return new Unavailable("the streams are " + streams.state() + ": " + e.getMessage());
        }
        if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE || metadata.activeHost() == null
                || metadata.activeHost().port() < 0) {
            return new Unavailable("no instance hosts the partition of " + entityId + " now (the streams are "
                    + streams.state() + ")");
        }
        if (!metadata.activeHost().equals(self)) {
            return new Elsewhere(metadata.activeHost(), metadata.partition());
        }
        return read(key, metadata.partition());
    }

    private Answer read(String key, Integer partition) {
        try {
            byte[] score = store(LatestEntityState.SCORES_STORE, partition).get(key);
            byte[] forecast = store(LatestEntityState.FORECASTS_STORE, partition).get(key);
            int at = partition == null ? -1 : partition;
            return score == null && forecast == null ? new Unknown(at) : new Found(at, score, forecast);
        } catch (InvalidStateStoreException e) {
            // Migrating, restoring, or this instance just lost the partition in a rebalance.
            return new Unavailable("the store of partition " + partition + " is not queryable here now ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    private ReadOnlyKeyValueStore<String, byte[]> store(String name, Integer partition) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, byte[]>> parameters =
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore());
        return streams.store(partition == null ? parameters : parameters.withPartition(partition));
    }
}
