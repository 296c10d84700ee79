package io.flowcast.topology;

import io.flowcast.anomaly.Alert;
import io.flowcast.anomaly.AlertEpisode;
import io.flowcast.anomaly.AlertEpisodeTracker;
import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.EntityEvidence;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.DlqReason;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * The path of every input record, in two steps.
 * <ol>
 *   <li>On arrival: read and check it, admit it to its entity's history (order, duplicates, gaps, ranges), store the
 *       new history and park the record in the pending store. A record that fails here is dead-lettered at once.</li>
 *   <li>When the micro-batch is full, or on the wall-clock punctuation every {@code maxWait}: score the parked records
 *       of every entity together ({@link BatchScorer}), forward each descriptor (or dead letter), in arrival order,
 *       with the alert episodes they open or close, and take the records out of the pending store.</li>
 * </ol>
 * Everything happens inside the task, and the pending records live in a changelogged store: with exactly-once a
 * commit that falls between the two steps carries the parked records with the input offsets, and a restarted task
 * finds them in its store and scores them, so a record is neither lost nor scored twice. Per-entity order holds
 * because one task owns an entity and scores its records in arrival order.
 */
final class ScoringProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger LOG = Logger.getLogger(ScoringProcessor.class);

    /** Histories kept as objects per task: a few thousand entities' worth of small arrays. */
    private static final int RECENT_HISTORIES = 4096;

    /**
     * The stores and sinks of one pipeline.
     *
     * @param evidenceStore the entities' alarm evidence states; null when no stream of the pipeline keeps evidence
     */
    record Wiring(String historyStore, String pendingStore, String alertStore, String scoresSink, String alertsSink,
            String deadLetterSink, String trackStore, String forecastsSink, String evidenceStore) {

        Wiring(String historyStore, String pendingStore, String alertStore, String scoresSink, String alertsSink,
                String deadLetterSink, String trackStore, String forecastsSink) {
            this(historyStore, pendingStore, alertStore, scoresSink, alertsSink, deadLetterSink, trackStore,
                    forecastsSink, null);
        }

        Wiring withEvidenceStore(String store) {
            return new Wiring(historyStore, pendingStore, alertStore, scoresSink, alertsSink, deadLetterSink,
                    trackStore, forecastsSink, store);
        }

        /** A pipeline without forecasts. */
        Wiring(String historyStore, String pendingStore, String alertStore, String scoresSink, String alertsSink,
                String deadLetterSink) {
            this(historyStore, pendingStore, alertStore, scoresSink, alertsSink, deadLetterSink, null, null);
        }
    }

    private final ObservationReader reader;
    private final EntityAdmission admission;
    private final BatchScorer scorer;
    private final ScoringMetrics metrics;
    private final Clock clock;
    private final ScoringTopology.Options options;
    private final Wiring wiring;
    private final BatchSizer sizer;
    private final AlertEpisodeTracker tracker;
    private final ForecastStage forecasts;
    private final List<PendingRecord> batch = new ArrayList<>();
    /**
     * The keys of the task's open episodes, mirroring the episode store. Most entities have none, and a store's cache
     * holds only what exists: without this, each normal record's lookup of its (absent) episode reached RocksDB.
     */
    private final Set<String> openEpisodes = new HashSet<>();
    /**
     * The task's histories as last stored, most recently used first: this processor is the only writer of its
     * task's history store, so a history read here is the stored one, without the store's lookup and deserialization
     * on every record. Cleared whenever the task (re)initialises its stores.
     */
    private final RecentHistories recentHistories = new RecentHistories(RECENT_HISTORIES);

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, EntityHistory> histories;
    private KeyValueStore<Long, PendingRecord> pending;
    private KeyValueStore<String, AlertEpisode> episodes;
    private KeyValueStore<String, TrackState> tracks;
    private KeyValueStore<String, EntityEvidence.State> evidence;
    private Cancellable punctuation;

    ScoringProcessor(ObservationReader reader, EntityAdmission admission, BatchScorer scorer, ScoringMetrics metrics,
            Clock clock, ScoringTopology.Options options, Wiring wiring, ForecastStage forecasts) {
        this.reader = reader;
        this.admission = admission;
        this.scorer = scorer;
        this.metrics = metrics;
        this.clock = clock;
        this.options = options;
        this.wiring = wiring;
        this.sizer = new BatchSizer(options.maxBatch(), options.batchBudget().toNanos());
        this.tracker = new AlertEpisodeTracker(options.alerts());
        this.forecasts = forecasts;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.histories = context.getStateStore(wiring.historyStore());
        this.pending = context.getStateStore(wiring.pendingStore());
        this.episodes = context.getStateStore(wiring.alertStore());
        this.tracks = forecasts == null ? null : context.getStateStore(wiring.trackStore());
        this.evidence = wiring.evidenceStore() == null ? null : context.getStateStore(wiring.evidenceStore());
        openEpisodes.clear();
        recentHistories.clear();
        try (KeyValueIterator<String, AlertEpisode> open = episodes.all()) {
            open.forEachRemaining(entry -> openEpisodes.add(entry.key));
        }
        batch.addAll(resumeParked(pending));
        if (!batch.isEmpty()) {
            LOG.infof("Resuming %d parked records of %s", batch.size(), batch.get(0).source());
        }
        this.punctuation = context.schedule(options.maxWait(), PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    /**
     * Records parked before a crash or a rebalance: scored first, in arrival (offset) order. The batch's i-th record
     * lives in slot i of the pending store; a store written otherwise (by an earlier version, keyed by offset) is
     * rewritten into slots first.
     */
    static List<PendingRecord> resumeParked(KeyValueStore<Long, PendingRecord> pending) {
        List<KeyValue<Long, PendingRecord>> parked = new ArrayList<>();
        try (KeyValueIterator<Long, PendingRecord> all = pending.all()) {
            while (all.hasNext()) {
                parked.add(all.next());
            }
        }
        parked.sort((a, b) -> Long.compare(a.value.source().offset(), b.value.source().offset()));
        List<PendingRecord> resumed = new ArrayList<>(parked.size());
        boolean inSlots = true;
        for (int i = 0; i < parked.size(); i++) {
            inSlots &= parked.get(i).key == i;
            resumed.add(parked.get(i).value);
        }
        if (!inSlots) {
            parked.forEach(entry -> pending.delete(entry.key));
            for (int i = 0; i < resumed.size(); i++) {
                pending.put((long) i, resumed.get(i));
            }
        }
        return resumed;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        SourceRef source = source();
        metrics.received(source.topic());
        Verdict<Observation> read = guarded(source, () -> reader.read(record.key(), record.value()));
        if (!read.accepted()) {
            deadLetter(record.key(), record.value(), record.timestamp(), source, read.rejection());
            return;
        }
        Observation observation = read.value();
        String key = historyKey(observation);
        Verdict<EntityAdmission.Admitted> admitted =
                guarded(source, () -> admission.admit(observation, storedHistory(key)));
        if (!admitted.accepted()) {
            deadLetter(record.key(), record.value(), record.timestamp(), source, admitted.rejection());
            return;
        }
        storeHistory(key, admitted.value().next());
        PendingRecord parked = new PendingRecord(source, record.timestamp(), record.key(), record.value(),
                observation, admitted.value().prior(), key);
        // Slot = position in the batch: the next batch reuses the keys, so with the store's cache a commit writes
        // each slot once (the last value or a tombstone) however many batches passed through it.
        pending.put((long) batch.size(), parked);
        batch.add(parked);
        if (batch.size() >= sizer.limit()) {
            flush();
        }
    }

    /** Scores the parked records and forwards their outputs, in arrival order. */
    private void flush() {
        if (batch.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        List<BatchScorer.Outcome> outcomes = evidence == null ? scorer.score(batch, clock.millis())
                : scorer.score(batch, clock.millis(), evidence::get);
        long nanos = System.nanoTime() - start;
        sizer.scored(batch.size(), nanos);
        metrics.batch(batch.size(), nanos);
        List<PendingRecord> published = new ArrayList<>(outcomes.size());
        Map<String, BatchScorer.Outcome> lastOfEntity = new HashMap<>();
        for (int slot = 0; slot < outcomes.size(); slot++) {
            BatchScorer.Outcome outcome = outcomes.get(slot);
            PendingRecord record = outcome.pending();
            lastOfEntity.put(record.historyKey(), outcome);
            if (outcome.accepted()) {
                publish(record, outcome.descriptor());
                published.add(record);
            } else {
                deadLetter(record.key(), record.value(), record.timestamp(), record.source(), outcome.rejection());
            }
            // put(slot, null) deletes as delete(slot) does, without reading back and deserializing the old record.
            pending.put((long) slot, null);
        }
        keepScoringStates(lastOfEntity);
        if (forecasts != null) {
            for (ForecastStage.Published forecast : forecasts.forecast(published, tracks, clock.millis())) {
                context.forward(new Record<Object, Object>(forecast.forecast().entityId(), forecast.forecast(),
                        forecast.record().timestamp()), wiring.forecastsSink());
                metrics.forecasted();
            }
        }
        batch.clear();
    }

    /** The entity's stored history, or null. */
    private EntityHistory storedHistory(String key) {
        EntityHistory recent = recentHistories.get(key);
        if (recent != null) {
            return recent;
        }
        EntityHistory stored = histories.get(key);
        if (stored != null) {
            recentHistories.put(key, stored);
        }
        return stored;
    }

    private void storeHistory(String key, EntityHistory history) {
        histories.put(key, history);
        recentHistories.put(key, history);
    }

    /**
     * Writes each entity's scoring state after its last record of the batch: the latent state into its stored
     * history (whose values were stored on admission), the evidence into the evidence store. Every record of the
     * entity admitted since the last flush is in this batch, so that state is the one its next record needs; a
     * history whose latent state did not move is not rewritten.
     */
    private void keepScoringStates(Map<String, BatchScorer.Outcome> lastOfEntity) {
        for (Map.Entry<String, BatchScorer.Outcome> entry : lastOfEntity.entrySet()) {
            BatchScorer.Outcome last = entry.getValue();
            EntityHistory prior = last.pending().prior();
            if (evidence != null && last.evidence() != null) {
                evidence.put(entry.getKey(), last.evidence());
            }
            if (last.latent() == prior.latent()) {
                continue;
            }
            EntityHistory stored = storedHistory(entry.getKey());
            if (stored != null && stored.dimension() == prior.dimension()) {
                storeHistory(entry.getKey(), stored.withLatent(last.latent()));
            }
        }
    }

    private void publish(PendingRecord record, AnomalyDescriptor descriptor) {
        context.forward(new Record<Object, Object>(record.observation().entityId(), descriptor, record.timestamp()),
                wiring.scoresSink());
        metrics.published(descriptor);
        track(record, descriptor);
    }

    /** Moves the entity's alert episode on by one record; publishes its opening or closing. */
    private void track(PendingRecord record, AnomalyDescriptor descriptor) {
        if (descriptor.warmingUp()) {
            return; // changes no episode
        }
        String key = record.historyKey();
        AlertEpisode open = openEpisodes.contains(key) ? episodes.get(key) : null;
        if (open == null && !descriptor.anomalous()) {
            return; // the common case: a normal record of a normal entity
        }
        AlertEpisodeTracker.Step step = tracker.observe(open, descriptor);
        if (step.episode() == null) {
            if (open != null) {
                episodes.delete(key);
                openEpisodes.remove(key);
            }
        } else {
            episodes.put(key, step.episode());
            openEpisodes.add(key);
        }
        Alert alert = step.alert();
        if (alert != null) {
            context.forward(new Record<Object, Object>(alert.alertId(), alert, record.timestamp()),
                    wiring.alertsSink());
            metrics.alerted(alert);
        }
    }

    @Override
    public void close() {
        if (punctuation != null) {
            punctuation.cancel();
        }
        // Parked records stay in the pending store: the task's next owner scores them.
        batch.clear();
        recentHistories.clear();
    }

    /**
     * Runs one step of a record's processing. A bug on one record must not stop the stream: it becomes a
     * PROCESSING_ERROR dead letter naming the cause. (State-store and forwarding failures are not caught here: they
     * concern the task, not the record, and Kafka Streams handles them.)
     */
    private static <T> Verdict<T> guarded(SourceRef source, Supplier<Verdict<T>> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            LOG.warnf(e, "Processing %s failed; the record goes to the dead-letter queue", source);
            return Verdict.reject(Rejection.of(DlqReason.PROCESSING_ERROR,
                    e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    /** Stream names cannot contain '/', so the key is unambiguous whatever the entity id holds. */
    static String historyKey(Observation observation) {
        return observation.stream() + '/' + observation.entityId();
    }

    private SourceRef source() {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        return new SourceRef(metadata.topic(), metadata.partition(), metadata.offset());
    }

    private void deadLetter(byte[] key, byte[] value, long timestamp, SourceRef source, Rejection rejection) {
        DeadLetter letter = DeadLetter.of(key, value, timestamp, source, rejection.reason(), rejection.detail(),
                rejection.violations(), clock.millis());
        context.forward(new Record<Object, Object>(key, letter, timestamp), wiring.deadLetterSink());
        metrics.deadLettered(rejection.reason());
        LOG.debugf("Dead-lettered %s: %s", source, rejection.detail());
    }
}
