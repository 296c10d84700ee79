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

    /**
     * Hosted here: the published bytes of the latest score and forecast (either null when there is none).
     *
     * @param host this instance as the streams' metadata names it (null when no application.server is set)
     */
    public record Found(HostInfo host, int partition, byte[] score, byte[] forecast) implements Answer {
    }

    /** Hosted here, and nothing was published about the entity (or not yet read). */
    public record Unknown(HostInfo host, int partition) implements Answer {
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
     * @param self this instance's {@code application.server}, used only never to forward a request to itself; null
     *             when unknown. (Whether this instance hosts an entity is asked of its stores, not of the address:
     *             the address it is configured with and the one its streams advertise can differ, e.g. under a test
     *             port chosen at start.)
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
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(LatestEntityState.SCORES_STORE, key, EntityKey.PARTITIONER);
        } catch (IllegalStateException | InvalidStateStoreException e) {
            return new Unavailable("the streams are " + streams.state() + ": " + e.getMessage());
        }
        if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE) {
            return new Unavailable("the streams have no partition assignment yet (they are " + streams.state() + ")");
        }
        HostInfo host = known(metadata.activeHost());
        int partition = metadata.partition();
        try {
            // Succeeds only where the partition's task is active and running: then this instance is its host.
            byte[] score = store(LatestEntityState.SCORES_STORE, partition).get(key);
            byte[] forecast = store(LatestEntityState.FORECASTS_STORE, partition).get(key);
            return score == null && forecast == null ? new Unknown(host, partition)
                    : new Found(host, partition, score, forecast);
        } catch (InvalidStateStoreException notHere) {
            if (host == null || host.equals(self)) {
                // Restoring or migrating here, or no instance hosts it right now.
                return new Unavailable("partition " + partition + " of " + entityId + " is not queryable now ("
                        + (host == null ? "no instance hosts it" : "restoring here") + "; the streams are "
                        + streams.state() + ")");
            }
            return new Elsewhere(host, partition);
        }
    }

    private static HostInfo known(HostInfo host) {
        return host == null || host.port() < 0 ? null : host;
    }

    private ReadOnlyKeyValueStore<String, byte[]> store(String name, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>keyValueStore())
                .withPartition(partition));
    }
}
