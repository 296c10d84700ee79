package io.flowcast.retrain;

import io.flowcast.flow.ContextSpec;
import java.util.List;

/**
 * What a new model version is, besides its weights: its registry name and version, the version it follows, the
 * features and context spec it reads, and the event-time span of its training data.
 */
public record ModelSpec(String name, int version, Integer parent, List<String> features, ContextSpec context,
        long dataFrom, long dataTo) {

    public ModelSpec {
        features = List.copyOf(features);
    }
}
