package io.flowcast.topology;

import io.flowcast.anomaly.RecordScorer;
import io.flowcast.contract.TopicContracts;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.ScoringSettings;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The scoring topology. Each input topic has its own pipeline (and so its own sub-topology and tasks):
 *
 * <pre>
 * flowcast.events       -> events-scorer       [event-history]      -> flowcast.scores | flowcast.dlq
 * flowcast.trajectories -> trajectories-scorer [trajectory-history] -> flowcast.scores | flowcast.dlq
 * </pre>
 *
 * The history stores are persistent (RocksDB) and changelogged, so an entity's context survives restarts and
 * moves with its partition.
 */
@ApplicationScoped
public class ScoringTopology {

    public static final String EVENT_HISTORY_STORE = "event-history";
    public static final String TRAJECTORY_HISTORY_STORE = "trajectory-history";

    /** What the topology needs besides the catalog; {@link #from(ScoringSettings)} reads it from configuration. */
    public record Options(int expectedSamples, Duration maxGap, int maxRecordBytes, String trajectoryStream) {

        public static Options from(ScoringSettings settings) {
            return new Options(settings.expectedSamples(), settings.maxGap(), settings.maxRecordBytes(),
                    settings.trajectoryStream());
        }
    }

    @Produces
    Topology topology(ModelCatalog catalog, ScoringSettings settings, MeterRegistry registry) {
        return build(catalog, Options.from(settings), new ScoringMetrics(registry), Clock.systemUTC());
    }

    /** The topology itself; tests drive exactly this with {@code TopologyTestDriver}. */
    public static Topology build(ModelCatalog catalog, Options options, ScoringMetrics metrics, Clock clock) {
        TopicContracts contracts = TopicContracts.shared();
        ObservationScorer scorer = new ObservationScorer(catalog, new RecordScorer(options.expectedSamples()),
                options.maxGap());
        Topology topology = new Topology();
        pipeline(topology, "events", Topics.EVENTS, EVENT_HISTORY_STORE,
                ObservationReader.events(contracts, catalog, options.maxRecordBytes()), scorer, metrics, clock);
        pipeline(topology, "trajectories", Topics.TRAJECTORIES, TRAJECTORY_HISTORY_STORE,
                ObservationReader.trajectories(contracts, catalog, options.maxRecordBytes(),
                        options.trajectoryStream()), scorer, metrics, clock);
        return topology;
    }

    private static void pipeline(Topology topology, String name, TopicSpec<byte[], byte[]> input, String store,
            ObservationReader reader, ObservationScorer scorer, ScoringMetrics metrics, Clock clock) {
        String source = name + "-source";
        String processor = name + "-scorer";
        String scoresSink = name + "-scores-sink";
        String deadLetterSink = name + "-dlq-sink";
        topology.addSource(source, input.keySerde().deserializer(), input.valueSerde().deserializer(), input.name());
        topology.addProcessor(processor,
                () -> new ScoringProcessor(reader, scorer, metrics, clock, store, scoresSink, deadLetterSink),
                source);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                new EntityHistorySerde()), processor);
        topology.addSink(scoresSink, Topics.SCORES.name(), Topics.SCORES.keySerde().serializer(),
                Topics.SCORES.valueSerde().serializer(), processor);
        topology.addSink(deadLetterSink, Topics.DLQ.name(), Topics.DLQ.keySerde().serializer(),
                Topics.DLQ.valueSerde().serializer(), processor);
    }
}
