package io.flowcast.embedded;

import io.flowcast.contract.TopicNames;
import io.flowcast.serving.ModelCatalog;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Tells a newcomer, once the service is up, where to look. */
@Singleton
public class StartupGuide {

    private static final Logger LOG = Logger.getLogger(StartupGuide.class);

    @Inject
    ModelCatalog catalog;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "localhost")
    String host;

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    int port;

    @ConfigProperty(name = FlowcastMain.EMBEDDED_ACTIVE, defaultValue = "false")
    boolean embedded;

    @ConfigProperty(name = "quarkus.kafka-streams.bootstrap-servers")
    Optional<String> bootstrapServers;

    void onStart(@Observes StartupEvent event) {
        String base = "http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + port;
        LOG.infof("""
                Flowcast is starting to score. Where to look:
                  metrics    %s/q/metrics  (flowcast_records_scored_total, flowcast_dlq_records_total, ...)
                  health     %s/q/health/ready  (UP once the streams are RUNNING)
                  Kafka      %s%s
                  topics in  %s, %s
                  topics out %s (anomaly descriptors), %s (rejected records with the reason)
                  streams    %s (each warms up on its first records, then is scored)""",
                base, base, bootstrapServers.orElse("?"), embedded ? " (embedded broker)" : "",
                TopicNames.EVENTS, TopicNames.TRAJECTORIES, TopicNames.SCORES, TopicNames.DLQ, catalog.streams());
    }
}
