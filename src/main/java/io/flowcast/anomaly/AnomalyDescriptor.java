package io.flowcast.anomaly;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The anomaly descriptor of one scored input record, as published on {@code flowcast.scores}: not a bare number but
 * the model version, the log-density, the calibrated tail probability and the threshold it was compared with, the
 * features that drove it and what was expected. While warming up the score fields are null (and not written).
 *
 * <p>A model trained with latent dependence also scores the record given its entity's past
 * ({@code innovationLogDensity}) with the model's own chi-square tail of the standardised residual
 * ({@code innovationTailProbability}); both are null for other models. An entity's first scored record (or its
 * first after a reset or a model swap) has no past: its innovation is its marginal log-density.
 *
 * <p>Where the stream keeps alarm evidence, {@code evidenceTailProbability} combines the flow's tail with the
 * record's marginal and seasonal tails ({@link EntityEvidence}); then it decides {@code anomalous} and alerts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnomalyDescriptor(
        String entityId,
        long eventTime,
        String stream,
        SourceRef source,
        ModelRef model,
        Double logDensity,
        Double tailProbability,
        Double grade,
        Double threshold,
        boolean anomalous,
        boolean warmingUp,
        List<Contribution> attribution,
        Map<String, Double> expected,
        Map<String, String> attributes,
        Long scoredAt,
        Double innovationLogDensity,
        Double innovationTailProbability,
        Double evidenceTailProbability) {

    /** A descriptor without innovation score (the shape before it existed, kept for callers written against it). */
    public AnomalyDescriptor(String entityId, long eventTime, String stream, SourceRef source, ModelRef model,
            Double logDensity, Double tailProbability, Double grade, Double threshold, boolean anomalous,
            boolean warmingUp, List<Contribution> attribution, Map<String, Double> expected,
            Map<String, String> attributes, Long scoredAt) {
        this(entityId, eventTime, stream, source, model, logDensity, tailProbability, grade, threshold, anomalous,
                warmingUp, attribution, expected, attributes, scoredAt, null, null, null);
    }

    /** A record scored before its entity or stream could be: informative only, never anomalous. */
    public static AnomalyDescriptor warmingUp(String entityId, long eventTime, String stream, SourceRef source,
            ModelRef model, Map<String, String> attributes, long scoredAt) {
        return new AnomalyDescriptor(entityId, eventTime, stream, source, model, null, null, null, null, false, true,
                null, null, nullIfEmpty(attributes), scoredAt, null, null, null);
    }

    /** A record scored by a calibrated model. */
    public static AnomalyDescriptor scored(String entityId, long eventTime, String stream, SourceRef source,
            ModelRef model, RecordScore score, Map<String, String> attributes, long scoredAt) {
        return new AnomalyDescriptor(entityId, eventTime, stream, source, model, score.logDensity(),
                score.tailProbability(), 1 - score.tailProbability(), score.threshold(), score.anomalous(), false,
                score.attribution(), score.expected(), nullIfEmpty(attributes), scoredAt, null, null, null);
    }

    /**
     * This descriptor with the record's innovation score: its log-density given the entity's past and the model's
     * tail probability of it.
     */
    public AnomalyDescriptor withInnovation(double logDensityGivenPast, double tail) {
        return new AnomalyDescriptor(entityId, eventTime, stream, source, model, logDensity, tailProbability, grade,
                threshold, anomalous, warmingUp, attribution, expected, attributes, scoredAt, logDensityGivenPast,
                tail, evidenceTailProbability);
    }

    /**
     * This descriptor with the record's combined evidence tail, which now decides whether it is anomalous (at or
     * under the threshold).
     */
    public AnomalyDescriptor withEvidence(double evidenceTail) {
        return new AnomalyDescriptor(entityId, eventTime, stream, source, model, logDensity, tailProbability, grade,
                threshold, threshold != null && evidenceTail <= threshold, warmingUp, attribution, expected,
                attributes, scoredAt, innovationLogDensity, innovationTailProbability, evidenceTail);
    }

    /** The tail alerts follow: the combined evidence where the stream keeps it, else the flow's calibrated tail. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public Double alarmTailProbability() {
        return evidenceTailProbability != null ? evidenceTailProbability : tailProbability;
    }

    private static Map<String, String> nullIfEmpty(Map<String, String> attributes) {
        return attributes == null || attributes.isEmpty() ? null : attributes;
    }
}
