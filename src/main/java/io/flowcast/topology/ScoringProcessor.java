package io.flowcast.topology;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.DlqReason;
import java.time.Clock;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * The path of every input record: read and check it, score it against its entity's stored history, store the new
 * history, publish the descriptor. A record that cannot be read or scored is published to the dead-letter sink
 * instead, inside the same task, so with exactly-once the score, the dead letter and the state change commit
 * together or not at all.
 */
final class ScoringProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger LOG = Logger.getLogger(ScoringProcessor.class);

    private final ObservationReader reader;
    private final ObservationScorer scorer;
    private final ScoringMetrics metrics;
    private final Clock clock;
    private final String storeName;
    private final String scoresSink;
    private final String deadLetterSink;

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, EntityHistory> histories;

    ScoringProcessor(ObservationReader reader, ObservationScorer scorer, ScoringMetrics metrics, Clock clock,
            String storeName, String scoresSink, String deadLetterSink) {
        this.reader = reader;
        this.scorer = scorer;
        this.metrics = metrics;
        this.clock = clock;
        this.storeName = storeName;
        this.scoresSink = scoresSink;
        this.deadLetterSink = deadLetterSink;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.histories = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        SourceRef source = source();
        metrics.received(source.topic());
        Verdict<Observation> read = guarded(source, () -> reader.read(record.key(), record.value()));
        if (!read.accepted()) {
            deadLetter(record, source, read.rejection());
            return;
        }
        Observation observation = read.value();
        String key = historyKey(observation);
        Verdict<ObservationScorer.Scored> scored =
                guarded(source, () -> scorer.score(observation, histories.get(key), source, clock.millis()));
        if (!scored.accepted()) {
            deadLetter(record, source, scored.rejection());
            return;
        }
        histories.put(key, scored.value().history());
        AnomalyDescriptor descriptor = scored.value().descriptor();
        context.forward(new Record<Object, Object>(observation.entityId(), descriptor, record.timestamp()),
                scoresSink);
        metrics.published(descriptor);
    }

    /**
     * Runs one step of a record's processing. A bug or a model failure on one record must not stop the stream:
     * it becomes a PROCESSING_ERROR dead letter naming the cause. (State-store and forwarding failures are not
     * caught here: they concern the task, not the record, and Kafka Streams handles them.)
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

    private void deadLetter(Record<byte[], byte[]> record, SourceRef source, Rejection rejection) {
        DeadLetter letter = DeadLetter.of(record.key(), record.value(), record.timestamp(), source,
                rejection.reason(), rejection.detail(), rejection.violations(), clock.millis());
        context.forward(new Record<Object, Object>(record.key(), letter, record.timestamp()), deadLetterSink);
        metrics.deadLettered(rejection.reason());
        LOG.debugf("Dead-lettered %s: %s", source, rejection.detail());
    }
}
