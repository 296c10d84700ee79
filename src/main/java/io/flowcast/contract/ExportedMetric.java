package io.flowcast.contract;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metrics the service exports at {@code /q/metrics}, in one place: service code registers meters under
 * {@link #micrometerName()}, and the deployment files (alert rules, the Grafana dashboard, the autoscaler) may only
 * name the Prometheus series this list yields. Renaming a meter therefore breaks a test, not a dashboard in production.
 *
 * <p>Prometheus names follow Micrometer's Prometheus naming convention: dots become underscores, counters get
 * {@code _total}, timers are in seconds ({@code _seconds}, with {@code _count}, {@code _sum}, {@code _max} and, with
 * percentile histograms on, {@code _bucket}), and a gauge with a base unit gets it as a suffix.
 */
public enum ExportedMetric {

    RECORDS_IN("flowcast.records.in", Type.COUNTER, null, List.of("topic"),
            "Records read from an input topic."),
    RECORDS_SCORED("flowcast.records.scored", Type.COUNTER, null, List.of("stream"),
            "Records scored by a model, per stream."),
    RECORDS_OUT("flowcast.records.out", Type.COUNTER, null, List.of("topic"),
            "Records written to an output topic."),
    DLQ_RECORDS("flowcast.dlq.records", Type.COUNTER, null, List.of("reason"),
            "Records dead-lettered to flowcast.dlq, by DlqReason."),
    SCORING_BATCH("flowcast.scoring.batch", Type.TIMER, null, List.of(),
            "Wall time of one micro-batch model call (histogram)."),
    SCORING_RECORD("flowcast.scoring.record", Type.TIMER, null, List.of(),
            "Scoring time per record: batch time over batch size (histogram)."),
    BATCH_SIZE("flowcast.batch.size", Type.SUMMARY, null, List.of(),
            "Records per scoring micro-batch."),
    ANOMALIES("flowcast.anomalies", Type.COUNTER, null, List.of("stream"),
            "Scored records whose tail probability crossed the stream's threshold."),
    ALERTS_OPENED("flowcast.alerts.opened", Type.COUNTER, null, List.of("stream"),
            "Alert episodes opened."),
    MODEL_INFO("flowcast.model.info", Type.GAUGE, null, List.of("model", "version", "provider"),
            "1 for the model version serving, per model, with the execution provider in use."),
    MODEL_AGE("flowcast.model.age", Type.GAUGE, "seconds", List.of("model"),
            "Seconds since the serving version of a model was created."),
    MODEL_NLL_DRIFT("flowcast.model.nll.drift", Type.GAUGE, null, List.of("model"),
            "Median live negative log-likelihood (last 1000 scores) minus the median NLL of the model's held-out "
                    + "records, nats per record (medians: anomalies alone do not read as drift)."),
    RETRAIN_RUNS("flowcast.retrain.runs", Type.COUNTER, null, List.of("outcome", "stream"),
            "Retrain runs by outcome: promoted, rejected (by the validation gate), failed or skipped (too few "
                    + "records), per stream (* for a pass that failed before reaching one)."),
    RETRAIN_DURATION("flowcast.retrain.duration", Type.TIMER, null, List.of("stream"),
            "Wall time of a retrain run, per stream."),
    EXECUTION_PROVIDER_INFO("flowcast.execution.provider.info", Type.GAUGE, null, List.of("provider"),
            "1 for each execution provider serving models: cpu or cuda (ONNX Runtime), jvm (warm-up models)."),
    /** Kafka's own consumer metric, bound by Quarkus' Kafka Streams metrics; the autoscaler's signal. */
    KAFKA_CONSUMER_RECORDS_LAG_MAX("kafka.consumer.fetch.manager.records.lag.max", Type.GAUGE, null, List.of(),
            "Kafka consumer: the largest lag in records over the consumer's partitions.");

    /** The kind of meter, which decides the Prometheus series a meter yields. */
    public enum Type { COUNTER, TIMER, SUMMARY, GAUGE }

    private final String micrometerName;
    private final Type type;
    private final String baseUnit;
    private final List<String> tags;
    private final String description;

    ExportedMetric(String micrometerName, Type type, String baseUnit, List<String> tags, String description) {
        this.micrometerName = micrometerName;
        this.type = type;
        this.baseUnit = baseUnit;
        this.tags = tags;
        this.description = description;
    }

    /** The name to register the meter under. */
    public String micrometerName() {
        return micrometerName;
    }

    public Type type() {
        return type;
    }

    /** The base unit of a gauge ({@code null} for none); timers are always seconds. */
    public String baseUnit() {
        return baseUnit;
    }

    public List<String> tags() {
        return tags;
    }

    public String description() {
        return description;
    }

    /** The metric's Prometheus name: {@code flowcast_records_in_total}, {@code flowcast_scoring_batch_seconds}. */
    public String prometheusName() {
        String base = micrometerName.replace('.', '_');
        return switch (type) {
            case COUNTER -> base + "_total";
            case TIMER -> base + "_seconds";
            case SUMMARY -> base;
            case GAUGE -> baseUnit == null ? base : base + "_" + baseUnit;
        };
    }

    /** Every series name the metric can yield in a scrape. */
    public List<String> prometheusSeries() {
        String name = prometheusName();
        return switch (type) {
            case COUNTER, GAUGE -> List.of(name);
            case TIMER, SUMMARY -> List.of(name + "_count", name + "_sum", name + "_max", name + "_bucket");
        };
    }

    /** Every series name the service exports, for checking dashboards and rules. */
    public static Set<String> allPrometheusSeries() {
        Set<String> names = new TreeSet<>();
        for (ExportedMetric metric : values()) {
            names.addAll(metric.prometheusSeries());
        }
        return names;
    }
}
