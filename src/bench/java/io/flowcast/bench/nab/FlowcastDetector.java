package io.flowcast.bench.nab;

import io.flowcast.anomaly.AlarmEpisodes;
import io.flowcast.anomaly.EntityEvidence;
import io.flowcast.anomaly.OnlineFlowScorer;
import io.flowcast.anomaly.StreamEvidence;
import io.flowcast.flow.ContextSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flowcast as a NAB detector: each file is one stream scored by an {@link OnlineFlowScorer} (context building, a
 * conditional flow fitted online, served by ONNX Runtime, sliding conformal calibration, combined with the marginal
 * and seasonal views and freed of repeats by {@link StreamEvidence}); NAB sees the alarm grade 1 - alarm tail. The first model is fitted once NAB's probationary period has passed (or {@code minTrain} pairs, if
 * later), so no scored record is ever graded without a model.
 */
public final class FlowcastDetector implements StreamingDetector {

    private final OnlineFlowScorer scorer;
    private final SeriesContext series;
    private final float[] value = new float[1];
    private final StringBuilder dump;
    /** Non-null: the grade is the live topology's per-entity evidence of the same flow tail (see {@link #live}). */
    private final EntityEvidence liveEvidence;
    private EntityEvidence.State liveState;

    public FlowcastDetector(OnlineFlowScorer.Settings settings, SeriesContext series) {
        this(settings, series, null);
    }

    /**
     * The same flow, graded as the live topology grades an entity's records: the flow's tail combined by
     * {@link EntityEvidence} with {@code evidence}'s settings (the live defaults are the configured
     * {@code flowcast.evidence.*}), no repeats dropped (live alerts leave that to the alert hysteresis).
     */
    public static FlowcastDetector live(OnlineFlowScorer.Settings settings, SeriesContext series,
            EntityEvidence.Settings evidence) {
        return new FlowcastDetector(settings, series, new EntityEvidence(evidence));
    }

    private FlowcastDetector(OnlineFlowScorer.Settings settings, SeriesContext series, EntityEvidence live) {
        this.liveEvidence = live;
        this.liveState = live == null ? null : live.empty(1);
        this.series = series;
        int window = settings.context().window();
        this.scorer = new OnlineFlowScorer("nab-" + series.name().replace('/', '-'), List.of("value"),
                settings.withMinTrain(Math.max(settings.minTrain(), series.probationaryRecords() - window)));
        // -Dnab.dump=DIR keeps every record's raw score and tail, to study the scores offline.
        this.dump = System.getProperty("nab.dump") == null ? null : new StringBuilder("timestamp,value,raw,tail,grade\n");
    }

    @Override
    public double score(long timestampMillis, double v) {
        value[0] = (float) v;
        OnlineFlowScorer.Result result = scorer.score(timestampMillis, value);
        double grade = result.alarmGrade();
        if (liveEvidence != null) {
            EntityEvidence.Step step = liveEvidence.update(liveState, timestampMillis, value,
                    result.warmingUp() ? Double.NaN : result.tail());
            liveState = step.next();
            grade = Double.isNaN(step.tail()) ? 0.0 : 1.0 - step.tail();
        }
        if (dump != null) {
            dump.append(timestampMillis).append(',').append(v).append(',').append(result.raw()).append(',')
                    .append(result.tail()).append(',').append(result.warmingUp() ? 0 : 1).append(',')
                    .append(result.alarmTail()).append('\n');
        }
        return Double.isFinite(grade) ? grade : 0.0;
    }

    @Override
    public void close() {
        if (Boolean.getBoolean("nab.verbose")) {
            System.err.printf("flowcast: %s: %d fits (%d failed), %.1f s fitting%n", series.name(), scorer.fits(),
                    scorer.failedFits(), scorer.fittingSeconds());
        }
        scorer.close();
        if (dump != null) {
            try {
                java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("nab.dump"));
                java.nio.file.Files.createDirectories(dir);
                java.nio.file.Files.writeString(dir.resolve(series.name().replace('/', '~')), dump);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * Settings with overrides such as {@code "window=16,smoothing=3,time=false"}: keys are the names of
     * {@link OnlineFlowScorer.Settings}' components ({@code window} and {@code time} for the context).
     */
    public static OnlineFlowScorer.Settings settings(OnlineFlowScorer.Settings base, String overrides) {
        Map<String, String> o = new LinkedHashMap<>();
        if (overrides != null && !overrides.isBlank()) {
            for (String part : overrides.split(",")) {
                String[] kv = part.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("expected key=value, got '" + part + "'");
                }
                o.put(kv[0].trim(), kv[1].trim());
            }
        }
        ContextSpec context = new ContextSpec(intOr(o.remove("window"), base.context().window()),
                o.containsKey("time") ? Boolean.parseBoolean(o.remove("time")) : base.context().timeFeatures());
        OnlineFlowScorer.Settings s = new OnlineFlowScorer.Settings(context,
                intOr(o.remove("minTrain"), base.minTrain()), intOr(o.remove("refitEvery"), base.refitEvery()),
                intOr(o.remove("maxTrain"), base.maxTrain()), intOr(o.remove("holdout"), base.holdout()),
                intOr(o.remove("calibration"), base.calibration()), intOr(o.remove("smoothing"), base.smoothing()),
                o.containsKey("tailFraction") ? Double.parseDouble(o.remove("tailFraction")) : base.tailFraction(),
                intOr(o.remove("couplings"), base.couplings()), intOr(o.remove("hidden"), base.hidden()),
                intOr(o.remove("bins"), base.bins()), intOr(o.remove("stepsPerFit"), base.stepsPerFit()),
                o.containsKey("seed") ? Long.parseLong(o.remove("seed")) : base.seed(), evidence(base.evidence(), o));
        if (!o.isEmpty()) {
            throw new IllegalArgumentException("unknown flowcast settings " + o.keySet());
        }
        return s;
    }

    /**
     * Evidence settings with overrides: {@code marginal}, {@code seasonal}, {@code maxPeriod}, {@code evidenceTail},
     * {@code open}, {@code refractory}, {@code escalation}, {@code summaries}, {@code flowWeight}, and {@code levels}
     * and {@code spreads} (scales joined by {@code +}, or {@code none}), removed from {@code o} once read.
     */
    public static StreamEvidence.Settings evidence(StreamEvidence.Settings base, Map<String, String> o) {
        AlarmEpisodes.Settings alarms = new AlarmEpisodes.Settings(
                o.containsKey("open") ? Double.parseDouble(o.remove("open")) : base.alarms().openTail(),
                intOr(o.remove("refractory"), base.alarms().refractory()),
                o.containsKey("escalation") ? Double.parseDouble(o.remove("escalation")) : base.alarms().escalation());
        return new StreamEvidence.Settings(intOr(o.remove("marginal"), base.marginal()),
                intOr(o.remove("seasonal"), base.seasonal()), intOr(o.remove("maxPeriod"), base.maxPeriod()),
                o.containsKey("evidenceTail") ? Double.parseDouble(o.remove("evidenceTail")) : base.tailFraction(),
                alarms, scalesOr(o.remove("levels"), base.levels()), scalesOr(o.remove("spreads"), base.spreads()),
                intOr(o.remove("summaries"), base.summaries()),
                o.containsKey("flowWeight") ? Double.parseDouble(o.remove("flowWeight")) : base.flowWeight(),
                o.containsKey("harmonic") ? Boolean.parseBoolean(o.remove("harmonic")) : base.harmonic());
    }

    /** "6+24" is scales 6 and 24; "none" is no scale. */
    private static List<Integer> scalesOr(String value, List<Integer> fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isBlank() || value.equals("none")) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split("\\+")).map(String::trim).map(Integer::valueOf).toList();
    }

    private static int intOr(String value, int fallback) {
        return value == null ? fallback : Integer.parseInt(value);
    }
}
