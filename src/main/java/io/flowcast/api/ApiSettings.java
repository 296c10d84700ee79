package io.flowcast.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The HTTP API's limits and its admin credential ({@code flowcast.api.*}). */
@ConfigMapping(prefix = "flowcast.api")
public interface ApiSettings {

    /**
     * The bearer token the admin endpoints (activate, retrain) require. There is no default: unset, the admin
     * endpoints answer 403. Set it from a secret (FLOWCAST_API_ADMIN_TOKEN), never in a committed file.
     */
    Optional<String> adminToken();

    /** Most records one scoring request may carry (413 beyond). */
    @WithDefault("1000")
    int maxBatchRecords();

    /** Largest scoring request body in bytes (413 beyond). */
    @WithDefault("4194304")
    int maxRequestBytes();

    /**
     * The host the other instances reach this one's HTTP API at; with the HTTP port it is this instance's Kafka
     * Streams {@code application.server} (see application.properties). Kubernetes: the pod IP.
     */
    @WithDefault("localhost")
    String advertisedHost();

    /** How long an entity lookup forwarded to the instance that hosts the entity may take (503 beyond). */
    @WithDefault("PT5S")
    Duration forwardTimeout();
}
