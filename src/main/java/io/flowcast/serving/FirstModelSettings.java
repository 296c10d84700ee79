package io.flowcast.serving;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The small flow trained for a stream the registry has no model for ({@code flowcast.first-model.*}). */
@ConfigMapping(prefix = "flowcast.first-model")
public interface FirstModelSettings {

    /** Train a first flow in the background once a stream's warm-up records are in. */
    @WithDefault("true")
    boolean enabled();

    /** Share of the warm-up records the flow trains on; the later rest calibrates it. */
    @WithDefault("0.6")
    double trainFraction();

    /** Wall-clock budget of the training (seconds of one core). */
    @WithDefault("20")
    double maxSeconds();

    @WithDefault("40")
    int maxEpochs();

    @WithDefault("2")
    int couplings();

    @WithDefault("16")
    int hiddenWidth();

    @WithDefault("6")
    int bins();
}
