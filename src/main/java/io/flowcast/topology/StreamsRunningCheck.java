package io.flowcast.topology;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the streams application is RUNNING: during start-up, a rebalance or state restoration records
 * are not being scored. (Quarkus' own checks stay: its readiness check waits for the topics, its liveness check
 * accepts REBALANCING.)
 */
@Readiness
@ApplicationScoped
public class StreamsRunningCheck implements HealthCheck {

    @Inject
    KafkaStreams streams;

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        return HealthCheckResponse.named("Flowcast scoring streams")
                .status(state == KafkaStreams.State.RUNNING)
                .withData("state", state.name())
                .build();
    }
}
