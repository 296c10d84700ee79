package io.flowcast.flow.onnx;

import io.flowcast.flow.FlowConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link FlowArtifact} says about itself (its {@code manifest.json}): everything a server needs besides the
 * two ONNX graphs, and the checksums that tie the graphs to it.
 *
 * @param formatVersion     the artifact format; readers refuse versions they do not know
 * @param modelName         the model's name (e.g. the entity type it scores)
 * @param modelVersion      the model's version, named in every record it scores
 * @param config            the flow's configuration, feature and context names included
 * @param opset             the ONNX opset the graphs use
 * @param scaler            the fixed standardisation the graphs apply first
 * @param degreesOfFreedom  Student-t degrees of freedom per dimension; null for a Gaussian base
 * @param trainingMetrics   what training reported (losses, epochs, timings); free-form JSON values
 * @param sha256            SHA-256 (hex) of every other entry of the artifact, by entry name
 */
public record FlowManifest(
        int formatVersion,
        String modelName,
        String modelVersion,
        FlowConfig config,
        int opset,
        Scaler scaler,
        double[] degreesOfFreedom,
        Map<String, Object> trainingMetrics,
        Map<String, String> sha256) {

    public FlowManifest {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(scaler, "scaler");
        trainingMetrics = trainingMetrics == null ? Map.of() : new LinkedHashMap<>(trainingMetrics);
        sha256 = sha256 == null ? Map.of() : new LinkedHashMap<>(sha256);
        degreesOfFreedom = degreesOfFreedom == null ? null : degreesOfFreedom.clone();
    }

    @Override
    public double[] degreesOfFreedom() {
        return degreesOfFreedom == null ? null : degreesOfFreedom.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FlowManifest m && formatVersion == m.formatVersion && opset == m.opset
                && modelName.equals(m.modelName) && modelVersion.equals(m.modelVersion) && config.equals(m.config)
                && scaler.equals(m.scaler) && Arrays.equals(degreesOfFreedom, m.degreesOfFreedom)
                && trainingMetrics.equals(m.trainingMetrics) && sha256.equals(m.sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(formatVersion, modelName, modelVersion, config, opset, scaler,
                Arrays.hashCode(degreesOfFreedom), trainingMetrics, sha256);
    }

    /**
     * The standardisation x' = (x - xMean) / xStd and c' = (c - cMean) / cStd (empty context arrays when k = 0).
     */
    public record Scaler(float[] xMean, float[] xStd, float[] cMean, float[] cStd) {
        public Scaler {
            xMean = xMean.clone();
            xStd = xStd.clone();
            cMean = cMean.clone();
            cStd = cStd.clone();
        }

        @Override
        public float[] xMean() {
            return xMean.clone();
        }

        @Override
        public float[] xStd() {
            return xStd.clone();
        }

        @Override
        public float[] cMean() {
            return cMean.clone();
        }

        @Override
        public float[] cStd() {
            return cStd.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Scaler s && Arrays.equals(xMean, s.xMean) && Arrays.equals(xStd, s.xStd)
                    && Arrays.equals(cMean, s.cMean) && Arrays.equals(cStd, s.cStd);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(xMean), Arrays.hashCode(xStd), Arrays.hashCode(cMean),
                    Arrays.hashCode(cStd));
        }

        @Override
        public String toString() {
            return "Scaler[xMean=" + Arrays.toString(xMean) + ", xStd=" + Arrays.toString(xStd) + ", cMean="
                    + Arrays.toString(cMean) + ", cStd=" + Arrays.toString(cStd) + "]";
        }
    }
}
