package io.flowcast.embedded.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The demo feed ({@code flowcast.demo.*}). */
@ConfigMapping(prefix = "flowcast.demo")
public interface DemoSettings {

    /** {@code auto}: on when the embedded broker runs; {@code true} or {@code false} to force. */
    @WithDefault("auto")
    String enabled();

    @WithDefault("42")
    long seed();

    /** Event readings per second, over all sensors and services together. */
    @WithDefault("60")
    double eventsPerSecond();

    @WithDefault("6")
    int sensors();

    @WithDefault("4")
    int services();

    /** Pedestrians on the plaza at any time; each reports its position every 0.4 s. */
    @WithDefault("10")
    int pedestrians();

    /** Period of the seasonal cycle of sensors and traffic (a compressed day). */
    @WithDefault("PT10M")
    Duration season();

    /** Probability, per reading, that an anomaly episode starts. */
    @WithDefault("0.002")
    double anomalyRate();

    /** One malformed record after every this many events, to show the dead-letter queue; 0 for none. */
    @WithDefault("500")
    int malformedEvery();

    /** How often the feed wakes up to produce what is due. */
    @WithDefault("PT0.1S")
    Duration tick();
}
