package io.flowcast.ops;

import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.ModelReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.TreeSet;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when no stream's model is still loading: every configured stream either serves a loaded, warmed-up
 * model or is LEARNING its first one from its own records.
 *
 * <p>Why LEARNING counts as ready: such a stream has nothing to load; it leaves warm-up only by consuming records,
 * and its records are answered meanwhile (as warming-up scores). Holding readiness back would keep it from ever
 * getting there. A LOADING stream (a chosen version whose sessions are being built or warmed) is not ready: records
 * would wait on it.
 *
 * <p>Together with the other checks: readiness also needs the streams RUNNING (StreamsRunningCheck) and the topics
 * present (Quarkus); liveness only needs the streams RUNNING or REBALANCING (Quarkus' Kafka Streams state check),
 * so a rebalance makes the pod unready, never restarted.
 */
@Readiness
@ApplicationScoped
public class ModelsReadyCheck implements HealthCheck {

    private final ModelCatalog catalog;

    @Inject
    public ModelsReadyCheck(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Flowcast models");
        boolean ready = true;
        for (String stream : new TreeSet<>(catalog.streams())) {
            ModelReadiness readiness = catalog.readiness(stream);
            ready &= readiness != ModelReadiness.LOADING;
            response.withData(stream, readiness.name());
        }
        return response.status(ready).build();
    }
}
