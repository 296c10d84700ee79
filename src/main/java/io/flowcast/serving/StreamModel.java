package io.flowcast.serving;

import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.flow.ConditionalDensity;
import io.flowcast.flow.ContextSpec;
import java.util.List;

/**
 * A stream's current model: a named, versioned conditional density with the context spec it was fitted on, the
 * order of its features, and the held-out sample that calibrates its scores. Immutable; a new version is a new
 * handle, so a record is scored by exactly one version from start to end.
 */
public record StreamModel(String name, int version, List<String> features, ContextSpec context,
        ConditionalDensity density, HeldOutCalibration calibration) {

    public StreamModel {
        features = List.copyOf(features);
        if (density.dimension() != features.size()) {
            throw new IllegalArgumentException("model " + name + " scores " + density.dimension()
                    + " features but names " + features.size());
        }
        if (density.contextDimension() != context.dimension(features.size())) {
            throw new IllegalArgumentException("model " + name + " expects a context of " + density.contextDimension()
                    + " values but its spec builds " + context.dimension(features.size()));
        }
    }

    public ModelRef ref() {
        return new ModelRef(name, version);
    }
}
