package io.flowcast.topology;

import io.flowcast.anomaly.AlertPolicy;
import io.flowcast.anomaly.AlertSettings;
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
 * flowcast.events       -> events-scorer       [event-history, event-pending, event-alerts]
 *                                                -> flowcast.scores | flowcast.alerts | flowcast.dlq
 * flowcast.trajectories -> trajectories-scorer [trajectory-history, trajectory-pending, trajectory-alerts,
 *                                              trajectory-tracks]
 *                                                -> flowcast.scores | flowcast.forecasts | flowcast.alerts | flowcast.dlq
 * flowcast.scores, flowcast.forecasts -> entity-latest [entity-latest-scores, entity-latest-forecasts]
 *                                        (added by the service's producer: {@link LatestEntityState}, for lookups)
 * </pre>
 *
 * The stores are persistent (RocksDB) and changelogged, so an entity's context and the records parked in a
 * micro-batch survive restarts and move with their partition. Where some stream keeps live alarm evidence
 * ({@link EvidenceStreams}), each pipeline also has an evidence store ({@code event-evidence},
 * {@code trajectory-evidence}).
 */
@ApplicationScoped
public class ScoringTopology {

    public static final String EVENT_HISTORY_STORE = "event-history";
    public static final String TRAJECTORY_HISTORY_STORE = "trajectory-history";
    public static final String EVENT_PENDING_STORE = "event-pending";
    public static final String TRAJECTORY_PENDING_STORE = "trajectory-pending";
    public static final String EVENT_ALERT_STORE = "event-alerts";
    public static final String TRAJECTORY_ALERT_STORE = "trajectory-alerts";
    public static final String TRACK_STORE = "trajectory-tracks";
    public static final String EVENT_EVIDENCE_STORE = "event-evidence";
    public static final String TRAJECTORY_EVIDENCE_STORE = "trajectory-evidence";

    /**
     * What the topology needs besides the catalog; {@link #from(ScoringSettings)} reads it from configuration.
     *
     * @param maxBatch    the most records scored in one micro-batch (1: each record as it arrives)
     * @param maxWait     the longest a record waits for its batch to fill (the wall-clock punctuation interval)
     * @param batchBudget a batch that takes longer than this halves the batch size (see {@link BatchSizer})
     * @param maxAbsValue features beyond this magnitude are dead-lettered as OUT_OF_RANGE
     * @param alerts      the hysteresis and severity bands of alert episodes
     * @param forecasting how trajectory updates are forecast; null: no forecasts
     */
    public record Options(int expectedSamples, Duration maxGap, int maxRecordBytes, String trajectoryStream,
            int maxBatch, Duration maxWait, Duration batchBudget, double maxAbsValue, AlertPolicy alerts,
            Forecasting forecasting) {

        /** Scores each record as it arrives (no batching), with the default limits. */
        public Options(int expectedSamples, Duration maxGap, int maxRecordBytes, String trajectoryStream) {
            this(expectedSamples, maxGap, maxRecordBytes, trajectoryStream, 1, Duration.ofMillis(5),
                    Duration.ofSeconds(1), 1e12, AlertPolicy.defaults(), null);
        }

        public Options {
            if (maxBatch < 1 || maxWait.isNegative() || maxWait.isZero() || batchBudget.isNegative()
                    || batchBudget.isZero()) {
                throw new IllegalArgumentException("need maxBatch >= 1 and positive maxWait and batchBudget");
            }
        }

        public static Options from(ScoringSettings settings, AlertSettings alerts, ForecastSettings forecasts) {
            return from(settings, alerts, forecasts.enabled() ? Forecasting.from(forecasts,
                    settings.trajectoryStream()) : null);
        }

        /** With the given forecasting (null: no forecasts). */
        public static Options from(ScoringSettings settings, AlertSettings alerts, Forecasting forecasting) {
            return new Options(settings.expectedSamples(), settings.maxGap(), settings.maxRecordBytes(),
                    settings.trajectoryStream(), settings.batchSize(), settings.batchMaxWait(),
                    settings.batchTimeBudget(), settings.maxAbsValue(), alerts.policy(), forecasting);
        }

        public Options withBatching(int maxBatch, Duration maxWait) {
            return new Options(expectedSamples, maxGap, maxRecordBytes, trajectoryStream, maxBatch, maxWait,
                    batchBudget, maxAbsValue, alerts, forecasting);
        }

        public Options withAlerts(AlertPolicy policy) {
            return new Options(expectedSamples, maxGap, maxRecordBytes, trajectoryStream, maxBatch, maxWait,
                    batchBudget, maxAbsValue, policy, forecasting);
        }

        public Options withForecasting(Forecasting next) {
            return new Options(expectedSamples, maxGap, maxRecordBytes, trajectoryStream, maxBatch, maxWait,
                    batchBudget, maxAbsValue, alerts, next);
        }
    }

    @Produces
    Topology topology(ModelCatalog catalog, ScoringSettings settings, AlertSettings alerts, ServedForecasts forecasts,
            EvidenceSettings evidence, MeterRegistry registry) {
        return service(catalog, settings, alerts, forecasts, evidence, new ScoringMetrics(registry));
    }

    /**
     * The whole service topology from its configuration, exactly as the service runs it: another member of the same
     * application (a second instance in a test) must build this, or the two disagree on sub-topologies and stores.
     */
    public static Topology service(ModelCatalog catalog, ScoringSettings settings, AlertSettings alerts,
            ServedForecasts forecasts, EvidenceSettings evidence, ScoringMetrics metrics) {
        // The entity-lookup stores come after the scoring pipelines, which keep their sub-topology ids.
        return LatestEntityState.addTo(build(catalog, Options.from(settings, alerts, forecasts.forecasting()),
                evidence.evidenceStreams(), metrics, Clock.systemUTC()), settings.trajectoryStream());
    }

    /** The topology itself; tests drive exactly this with {@code TopologyTestDriver}. */
    public static Topology build(ModelCatalog catalog, Options options, ScoringMetrics metrics, Clock clock) {
        return build(catalog, options, EvidenceStreams.NONE, metrics, clock);
    }

    /** The topology, with live alarm evidence for the streams {@code evidence} names. */
    public static Topology build(ModelCatalog catalog, Options options, EvidenceStreams evidence,
            ScoringMetrics metrics, Clock clock) {
        TopicContracts contracts = TopicContracts.shared();
        EntityAdmission admission = new EntityAdmission(catalog, options.maxGap(), options.maxAbsValue());
        BatchScorer scorer = new BatchScorer(catalog, new RecordScorer(options.expectedSamples()), evidence);
        Topology topology = new Topology();
        // Evidence stores only where some stream keeps evidence: a deployment without it keeps its topology.
        boolean keepsEvidence = !evidence.streams().isEmpty();
        pipeline(topology, "events", Topics.EVENTS, new ScoringProcessor.Wiring(EVENT_HISTORY_STORE,
                EVENT_PENDING_STORE, EVENT_ALERT_STORE, "events-scores-sink", "events-alerts-sink", "events-dlq-sink")
                .withEvidenceStore(keepsEvidence ? EVENT_EVIDENCE_STORE : null),
                ObservationReader.events(contracts, catalog, options.maxRecordBytes()), admission, scorer, metrics,
                clock, options, null);
        pipeline(topology, "trajectories", Topics.TRAJECTORIES, new ScoringProcessor.Wiring(TRAJECTORY_HISTORY_STORE,
                TRAJECTORY_PENDING_STORE, TRAJECTORY_ALERT_STORE, "trajectories-scores-sink",
                "trajectories-alerts-sink", "trajectories-dlq-sink", TRACK_STORE, "trajectories-forecasts-sink")
                .withEvidenceStore(keepsEvidence ? TRAJECTORY_EVIDENCE_STORE : null),
                ObservationReader.trajectories(contracts, catalog, options.maxRecordBytes(),
                        options.trajectoryStream()), admission, scorer, metrics, clock, options,
                options.forecasting());
        return topology;
    }

    private static void pipeline(Topology topology, String name, TopicSpec<byte[], byte[]> input,
            ScoringProcessor.Wiring wiring, ObservationReader reader, EntityAdmission admission, BatchScorer scorer,
            ScoringMetrics metrics, Clock clock, Options options, Forecasting forecasting) {
        String source = name + "-source";
        String processor = name + "-scorer";
        topology.addSource(source, input.keySerde().deserializer(), input.valueSerde().deserializer(), input.name());
        boolean forecasts = forecasting != null && wiring.trackStore() != null;
        topology.addProcessor(processor, () -> new ScoringProcessor(reader, admission, scorer, metrics, clock, options,
                wiring, forecasts ? new ForecastStage(forecasting, options.maxGap().toMillis()) : null), source);
        // Cached stores: the writes of one commit interval reach RocksDB and the changelog once per key, at the
        // commit (in its transaction), instead of once per write. An entity's history is rewritten by each of its
        // records and a pending slot is filled and emptied by each batch; see docs/topology.md.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(wiring.historyStore()),
                Serdes.String(), new EntityHistorySerde()).withCachingEnabled(), processor);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(wiring.pendingStore()),
                Serdes.Long(), new PendingRecordSerde()).withCachingEnabled(), processor);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(wiring.alertStore()),
                Serdes.String(), new AlertEpisodeSerde()).withCachingEnabled(), processor);
        topology.addSink(wiring.scoresSink(), Topics.SCORES.name(), Topics.SCORES.keySerde().serializer(),
                Topics.SCORES.valueSerde().serializer(), processor);
        topology.addSink(wiring.alertsSink(), Topics.ALERTS.name(), Topics.ALERTS.keySerde().serializer(),
                Topics.ALERTS.valueSerde().serializer(), processor);
        if (forecasts) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(wiring.trackStore()),
                    Serdes.String(), new TrackStateSerde()).withCachingEnabled(), processor);
            topology.addSink(wiring.forecastsSink(), Topics.FORECASTS.name(), Topics.FORECASTS.keySerde().serializer(),
                    Topics.FORECASTS.valueSerde().serializer(), processor);
        }
        if (wiring.evidenceStore() != null) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(wiring.evidenceStore()),
                    Serdes.String(), new EvidenceStateSerde()).withCachingEnabled(), processor);
        }
        topology.addSink(wiring.deadLetterSink(), Topics.DLQ.name(), Topics.DLQ.keySerde().serializer(),
                Topics.DLQ.valueSerde().serializer(), processor);
    }
}
