package io.flowcast.topology;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

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

    /**
     * A directory holding an exported flow chain ({@code trajectory.ChainModelFiles}: three ONNX graphs and
     * {@code chain.json}); unset or unreadable: the constant-velocity model serves.
     */
    Optional<String> chainModel();

    /** Rapid update: the chain runs again when the samples' effective sample size falls under this share of them. */
    @WithDefault("0.5")
    double rerunEssFraction();

    /** Rapid update: the chain runs again after this many re-weighted positions at the latest. */
    @WithDefault("4")
    int rerunMaxSteps();

    /** Rapid update: the scoring kernel's smallest standard deviation, metres (positions carry annotation noise). */
    @WithDefault("0.05")
    double kernelMinBandwidth();

    /**
     * Whether a position that brings a chain run is scored exactly by the chain (one more model call per round,
     * about as costly as the forecast) rather than by the stored samples' kernel density.
     */
    @WithDefault("true")
    boolean exactModelScores();

    /**
     * With the demo feed on and no chain-model configured: train a small flow chain on the demo's synthetic crowd in
     * the background at start-up and swap it in for the constant-velocity model.
     */
    @WithDefault("true")
    boolean demoChain();

    /** The demo chain's training budget per flow (24 flows), seconds. */
    @WithDefault("1.0")
    double demoChainSecondsPerFlow();
}
