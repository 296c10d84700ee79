package io.flowcast.serving;

import io.flowcast.flow.ContextSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the service knows about a stream before any model exists: its features (the order of x's columns), how its
 * context is built while no model dictates it, and its alarm threshold.
 *
 * @param threshold alpha: a record is anomalous when its calibrated tail probability is at most this
 */
public record StreamProfile(String name, List<String> features, ContextSpec context, double threshold) {

    public StreamProfile {
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("stream " + name + " needs at least one feature");
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold of stream " + name + " must be in (0, 1), got " + threshold);
        }
    }

    public int dimension() {
        return features.size();
    }

    /** The features this stream needs that {@code values} lacks, in feature order. */
    public List<String> missing(Map<String, Double> values) {
        List<String> missing = new ArrayList<>();
        for (String feature : features) {
            if (!values.containsKey(feature)) {
                missing.add(feature);
            }
        }
        return missing;
    }

    /** x in feature order; every feature must be present (check {@link #missing} first). */
    public float[] vector(Map<String, Double> values) {
        float[] x = new float[features.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = values.get(features.get(i)).floatValue();
        }
        return x;
    }
}
