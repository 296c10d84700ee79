package io.flowcast.registry;

import io.flowcast.flow.ContextSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The registry's manifest of one model version, published on {@code flowcast.models} beside the artifact's chunks.
 * Everything a server or a retrainer needs to decide about a model without opening its artifact, and the checksum
 * that ties the artifact bytes to it.
 *
 * @param name            the model's name (the stream it scores)
 * @param version         1, 2, ... per name
 * @param parent          the version it was trained from or replaces; null for the first
 * @param createdAt       epoch ms of publication
 * @param dataFrom        event time of the first training record (epoch ms; 0 when unknown)
 * @param dataTo          event time of the last training record (epoch ms; 0 when unknown)
 * @param trainingRecords records it was trained on
 * @param objective       the training objective ({@code iid}, {@code ar1}, {@code ou}, {@code compound-symmetry})
 * @param dependenceKind  the fitted latent dependence's kind (see io.flowcast.flow.LatentDependence)
 * @param dependence      its fitted parameters (rho, tau_seconds, a); empty when i.i.d.
 * @param features        x's columns, in order
 * @param contextWindow   the context spec's window
 * @param timeFeatures    whether the context spec has any time feature (all of them in manifests written before
 *                        {@code contextTimeFeatures} existed)
 * @param contextTimeFeatures which time features the context has ({@code hour-of-day}, {@code day-of-week},
 *                        {@code gap}, as the fitter chose them from its data); absent in older manifests, where it is
 *                        all of them when {@code timeFeatures} and none otherwise
 * @param metrics         training and validation metrics (NLL, calibration error, timings); free-form JSON
 * @param scalerMean      the feature scaler's mean (as in the artifact)
 * @param scalerStd       the feature scaler's standard deviation
 * @param calibration     held-out raw scores (negative log-densities) that calibrate its tail probabilities
 * @param sha256          SHA-256 (hex) of the artifact bytes
 * @param artifactBytes   the artifact's length
 * @param chunks          how many chunk records carry the artifact
 */
public record ModelVersion(
        String name,
        int version,
        Integer parent,
        long createdAt,
        long dataFrom,
        long dataTo,
        long trainingRecords,
        String objective,
        String dependenceKind,
        Map<String, Double> dependence,
        List<String> features,
        int contextWindow,
        boolean timeFeatures,
        List<String> contextTimeFeatures,
        Map<String, Object> metrics,
        float[] scalerMean,
        float[] scalerStd,
        double[] calibration,
        String sha256,
        long artifactBytes,
        int chunks) {

    public ModelVersion {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.contains("/")) {
            throw new IllegalArgumentException("a model name is non-blank and has no '/': '" + name + "'");
        }
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1, got " + version);
        }
        objective = objective == null ? "iid" : objective;
        dependenceKind = dependenceKind == null ? "iid" : dependenceKind;
        dependence = dependence == null ? Map.of() : Map.copyOf(dependence);
        features = features == null ? List.of() : List.copyOf(features);
        contextTimeFeatures = contextTimeFeatures == null
                ? new ContextSpec(Math.max(1, contextWindow), timeFeatures).timeFeatureNames()
                : ContextSpec.of(Math.max(1, contextWindow), contextTimeFeatures).timeFeatureNames();
        timeFeatures = !contextTimeFeatures.isEmpty();
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        scalerMean = scalerMean == null ? new float[0] : scalerMean.clone();
        scalerStd = scalerStd == null ? new float[0] : scalerStd.clone();
        calibration = calibration == null ? new double[0] : calibration.clone();
    }

    /**
     * A manifest in the shape before {@code contextTimeFeatures}: {@code timeFeatures} means all time features (kept
     * so that code written against it still compiles).
     */
    public ModelVersion(String name, int version, Integer parent, long createdAt, long dataFrom, long dataTo,
            long trainingRecords, String objective, String dependenceKind, Map<String, Double> dependence,
            List<String> features, int contextWindow, boolean timeFeatures, Map<String, Object> metrics,
            float[] scalerMean, float[] scalerStd, double[] calibration, String sha256, long artifactBytes,
            int chunks) {
        this(name, version, parent, createdAt, dataFrom, dataTo, trainingRecords, objective, dependenceKind,
                dependence, features, contextWindow, timeFeatures, null, metrics, scalerMean, scalerStd, calibration,
                sha256, artifactBytes, chunks);
    }

    /** The context spec the model reads: its window and the time features its fitter chose. */
    public ContextSpec contextSpec() {
        return ContextSpec.of(contextWindow, contextTimeFeatures);
    }

    /** This manifest with the artifact's checksum, length and chunk count filled in. */
    public ModelVersion sealed(String artifactSha256, long length, int chunkCount) {
        return new ModelVersion(name, version, parent, createdAt, dataFrom, dataTo, trainingRecords, objective,
                dependenceKind, dependence, features, contextWindow, timeFeatures, contextTimeFeatures, metrics,
                scalerMean, scalerStd, calibration, artifactSha256, length, chunkCount);
    }

    /** This manifest renumbered (the publisher assigns versions). */
    public ModelVersion withVersion(int newVersion, Integer newParent) {
        return new ModelVersion(name, newVersion, newParent, createdAt, dataFrom, dataTo, trainingRecords, objective,
                dependenceKind, dependence, features, contextWindow, timeFeatures, contextTimeFeatures, metrics,
                scalerMean, scalerStd, calibration, sha256, artifactBytes, chunks);
    }

    @Override
    public float[] scalerMean() {
        return scalerMean.clone();
    }

    @Override
    public float[] scalerStd() {
        return scalerStd.clone();
    }

    @Override
    public double[] calibration() {
        return calibration.clone();
    }

    @Override
    public String toString() {
        return "ModelVersion[" + name + " v" + version + (parent == null ? "" : " (parent v" + parent + ")")
                + ", objective=" + objective + ", dependence=" + dependenceKind + dependence + ", sha256=" + sha256
                + ", " + artifactBytes + " bytes in " + chunks + " chunks]";
    }
}
