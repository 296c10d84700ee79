package io.flowcast.embedded;

import io.smallrye.config.PropertiesConfigSourceLoader;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The settings {@link FlowcastMain} needs before Quarkus starts (so before Quarkus' configuration exists), read
 * from the same places and in the same order Quarkus reads them: system properties, environment variables,
 * {@code config/application.properties}, then the packaged {@code application.properties}, with profiles.
 */
record LaunchSettings(
        Optional<String> externalBootstrapServers,
        Optional<String> groupInstanceId,
        EmbeddedMode embeddedMode,
        int port,
        Path dataDir,
        boolean cleanStart,
        Path streamsStateDir,
        boolean createTopics,
        int partitions,
        short replicationFactor) {

    /** The streams consumers' static group membership (Kafka's group.instance.id), passed through by Quarkus. */
    static final String STATIC_MEMBER_KEY = "kafka-streams.group.instance.id";

    /** When to start the in-process broker. */
    enum EmbeddedMode {
        /** Only when no external bootstrap servers are configured. */
        AUTO,
        /** Always, even when bootstrap servers are configured (they are then ignored). */
        ALWAYS,
        /** Never: the service needs an external cluster. */
        NEVER;

        /** {@code auto}, {@code true} (or {@code always}), {@code false} (or {@code never}). */
        static EmbeddedMode parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "true", "always" -> ALWAYS;
                case "false", "never" -> NEVER;
                default -> throw new IllegalArgumentException(
                        "flowcast.embedded.enabled must be auto, true or false, not '" + value + "'");
            };
        }
    }

    static LaunchSettings load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .forClassLoader(loader)
                .addDefaultInterceptors()
                .addDefaultSources()
                .withSources(PropertiesConfigSourceLoader.inFileSystem("config/application.properties", 260, loader))
                .withSources(PropertiesConfigSourceLoader.inClassPath("application.properties", 250, loader));
        String profile = System.getProperty("quarkus.profile",
                Optional.ofNullable(System.getenv("QUARKUS_PROFILE")).orElse("prod"));
        SmallRyeConfig config = builder.withProfile(profile).build();

        Optional<String> external = config.getOptionalValue("quarkus.kafka-streams.bootstrap-servers", String.class)
                .or(() -> config.getOptionalValue("kafka.bootstrap.servers", String.class))
                .filter(servers -> !servers.isBlank());
        return new LaunchSettings(
                external,
                config.getOptionalValue(STATIC_MEMBER_KEY, String.class),
                EmbeddedMode.parse(config.getOptionalValue("flowcast.embedded.enabled", String.class).orElse("auto")),
                config.getOptionalValue("flowcast.embedded.port", Integer.class).orElse(9092),
                Path.of(config.getOptionalValue("flowcast.embedded.data-dir", String.class).orElse("data/kafka")),
                config.getOptionalValue("flowcast.embedded.clean-start", Boolean.class).orElse(false),
                Path.of(config.getOptionalValue("kafka-streams.state.dir", String.class).orElse("data/streams")),
                config.getOptionalValue("flowcast.topics.create", Boolean.class).orElse(true),
                config.getOptionalValue("flowcast.topics.partitions", Integer.class).orElse(4),
                config.getOptionalValue("flowcast.topics.replication-factor", Short.class).orElse((short) 1));
    }

    boolean embedBroker() {
        return switch (embeddedMode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> externalBootstrapServers.isEmpty();
        };
    }
}
