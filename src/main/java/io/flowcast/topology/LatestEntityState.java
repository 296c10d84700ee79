package io.flowcast.topology;

import io.flowcast.contract.TopicNames;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * A sub-topology of its own, beside the scoring pipelines, that serves entity lookups: it reads what they publish
 * (flowcast.scores and flowcast.forecasts, both keyed by the entity id) and keeps each entity's latest score and
 * forecast in two persistent, changelogged stores that the HTTP API queries through Kafka Streams' metadata
 * ({@link EntityStateQuery}). Reading the published records rather than writing the stores from the scorers keeps
 * the scoring path untouched; both stores belong to one processor, so one task (one instance) holds both halves of
 * an entity. A lookup sees a record once its transaction is committed, as any read_committed consumer does.
 */
public final class LatestEntityState {

    public static final String SCORES_STORE = "entity-latest-scores";
    public static final String FORECASTS_STORE = "entity-latest-forecasts";
    static final String PROCESSOR = "entity-latest";

    private LatestEntityState() {
    }

    /** Adds the sub-topology to {@code topology} (after the scoring pipelines) and returns it. */
    public static Topology addTo(Topology topology, String trajectoryStream) {
        String scores = PROCESSOR + "-scores-source";
        String forecasts = PROCESSOR + "-forecasts-source";
        topology.addSource(scores, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                TopicNames.SCORES);
        topology.addSource(forecasts, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                TopicNames.FORECASTS);
        topology.addProcessor(PROCESSOR, () -> new LatestEntityProcessor(trajectoryStream), scores, forecasts);
        // Cached: an entity rewritten by each of its records reaches RocksDB and the changelog once per commit.
        // Lookups read through the cache, so they see the latest value all the same.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SCORES_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FORECASTS_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), PROCESSOR);
        return topology;
    }
}
