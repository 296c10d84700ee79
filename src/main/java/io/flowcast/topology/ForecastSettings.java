package io.flowcast.topology;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Trajectory forecasts ({@code flowcast.forecast.*}). */
@ConfigMapping(prefix = "flowcast.forecast")
public interface ForecastSettings {

    /** Whether each trajectory update is forecast to {@code flowcast.forecasts}. */
    @WithDefault("true")
    boolean enabled();

    /** Positions of history a forecast starts from (the agent's first forecast comes at this many). */
    @WithDefault("8")
    int observedSteps();

    /** Future steps per path. */
    @WithDefault("12")
    int horizonSteps();

    /** Seconds between steps (positions are taken to arrive at this rate). */
    @WithDefault("0.4")
    double stepSeconds();

    /** Sampled paths per forecast. */
    @WithDefault("20")
    int samples();

    /** The constant-velocity prior's spread: standard deviation added per step, metres. */
    @WithDefault("0.1")
    double sigmaPerStep();
}
