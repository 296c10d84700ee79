package io.flowcast.retrain;

import io.flowcast.flow.FlowConfig;
import java.util.List;

/** The size of the flows trained for streams (small: they train in seconds on one core). */
public record FlowShape(int couplings, int hiddenWidth, int bins, long seed) {

    public static FlowShape small() {
        return new FlowShape(2, 16, 6, 42);
    }

    public FlowConfig config(List<String> features, int contextDimension) {
        return FlowConfig.builder(features.size(), contextDimension).couplings(couplings).hiddenWidth(hiddenWidth)
                .bins(bins).featureNames(features).seed(seed).build();
    }
}
