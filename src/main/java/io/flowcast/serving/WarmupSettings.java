package io.flowcast.serving;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a stream's first model is learnt from its first records ({@code flowcast.warmup.*}). */
@ConfigMapping(prefix = "flowcast.warmup")
public interface WarmupSettings {

    /** Records (with a full context) the first model is fitted on. */
    @WithDefault("300")
    int fitRecords();

    /** Later records it is calibrated on; the smallest tail probability is 1 / (holdout-records + 1). */
    @WithDefault("500")
    int holdoutRecords();

    /** Ridge penalty on the standardised slopes of the linear-Gaussian fit. */
    @WithDefault("0.001")
    double ridge();
}
