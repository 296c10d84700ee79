package io.flowcast.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What operators see of one version of a stream's model: which version, whether it serves now, when it was made and
 * its quality figures (validation NLL in nats per record and whatever else its maker measured).
 *
 * @param createdAt when the version was fitted; null when the catalog does not know
 * @param metrics   figures by name, for example {@code validationNll}, {@code validationNllMedian} and
 *                  {@code heldOutRecords}
 * @param timeFeatures the time features the version's context reads ({@code hour-of-day}, {@code day-of-week},
 *                  {@code gap}, as its fitter chose them from the data's coverage); null when not known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelVersionInfo(String model, int version, boolean serving, Instant createdAt,
        Map<String, Double> metrics, List<String> timeFeatures) {

    /** The validation NLL's key in {@link #metrics}. */
    public static final String VALIDATION_NLL = "validationNll";
    /** The median NLL of the held-out records: what live drift is measured against (robust to their tail). */
    public static final String VALIDATION_NLL_MEDIAN = "validationNllMedian";
    public static final String HELD_OUT_RECORDS = "heldOutRecords";

    public ModelVersionInfo {
        metrics = Map.copyOf(metrics);
        timeFeatures = timeFeatures == null ? null : List.copyOf(timeFeatures);
    }

    /** A version whose time features are not known. */
    public ModelVersionInfo(String model, int version, boolean serving, Instant createdAt,
            Map<String, Double> metrics) {
        this(model, version, serving, createdAt, metrics, null);
    }

    /**
     * The serving version of a model, measured from its own calibration sample: the held-out raw scores are the
     * records' negative log-densities, so their mean is the validation NLL (and their median its robust twin).
     */
    public static ModelVersionInfo serving(StreamModel model, Instant createdAt) {
        double[] heldOut = model.calibration().scores();
        double sum = 0;
        for (double score : heldOut) {
            sum += score;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(VALIDATION_NLL, sum / heldOut.length);
        metrics.put(VALIDATION_NLL_MEDIAN, model.calibration().quantile(0.5));
        metrics.put(HELD_OUT_RECORDS, (double) heldOut.length);
        return new ModelVersionInfo(model.name(), model.version(), true, createdAt, metrics,
                model.context().timeFeatureNames());
    }
}
