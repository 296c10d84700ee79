package io.flowcast.topology;

import io.flowcast.anomaly.Alert;
import io.flowcast.anomaly.AlertState;
import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.contract.DlqReason;
import io.flowcast.contract.ExportedMetric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The topology's counters, under the names {@link ExportedMetric} promises the dashboards: records in per input
 * topic, out per output topic, scored and anomalous per stream, dead-lettered per reason
 * ({@code flowcast_dlq_records_total{reason}}). Records published while warming up are the scores written
 * ({@code flowcast_records_out_total{topic="flowcast.scores"}}) less those scored.
 */
public final class ScoringMetrics {

    private final MeterRegistry registry;
    /** Per metric, per tag value: looked up on every record, so without building a key string each time. */
    private final Map<ExportedMetric, Map<String, Counter>> counters = new java.util.EnumMap<>(ExportedMetric.class);
    private final Timer batchTimer;
    private final Timer recordTimer;
    private final DistributionSummary batchSize;

    public ScoringMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Filled once here and never changed: every stream thread reads the outer map without locking.
        for (ExportedMetric metric : ExportedMetric.values()) {
            counters.put(metric, new ConcurrentHashMap<>());
        }
        this.batchTimer = Timer.builder(ExportedMetric.SCORING_BATCH.micrometerName())
                .description(ExportedMetric.SCORING_BATCH.description()).publishPercentileHistogram()
                .register(registry);
        this.recordTimer = Timer.builder(ExportedMetric.SCORING_RECORD.micrometerName())
                .description(ExportedMetric.SCORING_RECORD.description()).publishPercentileHistogram()
                .register(registry);
        this.batchSize = DistributionSummary.builder(ExportedMetric.BATCH_SIZE.micrometerName())
                .description(ExportedMetric.BATCH_SIZE.description()).register(registry);
        // Every reason shows from the start, at zero, so dashboards and alerts see the series before a failure.
        for (DlqReason reason : DlqReason.values()) {
            deadLettered(registry, reason, 0);
        }
    }

    public void received(String topic) {
        counter(ExportedMetric.RECORDS_IN, "topic", topic).increment();
    }

    public void published(AnomalyDescriptor descriptor) {
        counter(ExportedMetric.RECORDS_OUT, "topic", Topics.SCORES.name()).increment();
        if (descriptor.warmingUp()) {
            return;
        }
        counter(ExportedMetric.RECORDS_SCORED, "stream", descriptor.stream()).increment();
        if (descriptor.anomalous()) {
            counter(ExportedMetric.ANOMALIES, "stream", descriptor.stream()).increment();
        }
    }

    public void alerted(Alert alert) {
        counter(ExportedMetric.RECORDS_OUT, "topic", Topics.ALERTS.name()).increment();
        if (alert.state() == AlertState.OPEN) {
            counter(ExportedMetric.ALERTS_OPENED, "stream", alert.stream()).increment();
        }
    }

    public void forecasted() {
        counter(ExportedMetric.RECORDS_OUT, "topic", Topics.FORECASTS.name()).increment();
    }

    /**
     * One scored micro-batch: its size, its wall time, and the time per record, once per record (the per-record
     * histogram counts records, so its rate is the scoring rate and its quantiles weigh every record alike; once per
     * batch, a batch of 256 would weigh as much as a batch of 1).
     */
    public void batch(int size, long nanos) {
        batchTimer.record(nanos, TimeUnit.NANOSECONDS);
        long perRecord = nanos / Math.max(1, size);
        for (int i = 0; i < size; i++) {
            recordTimer.record(perRecord, TimeUnit.NANOSECONDS);
        }
        batchSize.record(size);
    }

    public void deadLettered(DlqReason reason) {
        counter(ExportedMetric.RECORDS_OUT, "topic", Topics.DLQ.name()).increment();
        deadLettered(registry, reason, 1);
    }

    /** Also used by the exception handlers, which Kafka Streams instantiates outside CDI. */
    static void deadLettered(MeterRegistry registry, DlqReason reason, double amount) {
        Counter.builder(ExportedMetric.DLQ_RECORDS.micrometerName())
                .description(ExportedMetric.DLQ_RECORDS.description())
                .tag("reason", reason.name()).register(registry).increment(amount);
    }

    private Counter counter(ExportedMetric metric, String tag, String value) {
        Map<String, Counter> byValue = counters.get(metric);
        Counter counter = byValue.get(value);
        return counter != null ? counter : byValue.computeIfAbsent(value, v -> Counter.builder(
                metric.micrometerName()).description(metric.description()).tag(tag, v).register(registry));
    }
}
