package io.flowcast.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The model registry on {@code flowcast.models} ({@code flowcast.registry.*}). */
@ConfigMapping(prefix = "flowcast.registry")
public interface RegistrySettings {

    /** Serve flows from the registry (false: only the in-memory warm-up models). */
    @WithDefault("true")
    boolean enabled();

    /** Where verified artifacts are cached across restarts. */
    @WithDefault("data/models")
    String cacheDir();

    /** The largest artifact slice per Kafka record (below the topic's max.message.bytes, 1 MiB by default). */
    @WithDefault("524288")
    int chunkBytes();

    /** How long a replaced version stays open for records that still read it. */
    @WithDefault("PT10S")
    Duration retireGrace();
}
