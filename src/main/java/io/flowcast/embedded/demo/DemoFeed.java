package io.flowcast.embedded.demo;

import io.flowcast.embedded.FlowcastMain;
import io.flowcast.serving.ScoringSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Produces the demo's simulated pedestrians and event streams to the input topics while the service runs: on by
 * default with the embedded broker, off with an external cluster unless {@code flowcast.demo.enabled=true}.
 */
@ApplicationScoped
public class DemoFeed {

    private static final Logger LOG = Logger.getLogger(DemoFeed.class);

    @Inject
    DemoSettings settings;

    @Inject
    ScoringSettings scoring;

    @ConfigProperty(name = FlowcastMain.EMBEDDED_ACTIVE, defaultValue = "false")
    boolean embedded;

    @ConfigProperty(name = "quarkus.kafka-streams.bootstrap-servers")
    Optional<String> streamsBootstrapServers;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    Optional<String> bootstrapServers;

    private final AtomicLong sendFailures = new AtomicLong();
    private ScheduledExecutorService scheduler;
    private Producer<String, byte[]> producer;

    void onStart(@Observes StartupEvent event) {
        if (!isEnabled()) {
            return;
        }
        String servers = streamsBootstrapServers.or(() -> bootstrapServers).orElse("localhost:9092");
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.CLIENT_ID_CONFIG, "flowcast-demo-feed",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20),
                new StringSerializer(), new ByteArraySerializer());
        DemoGenerator generator = new DemoGenerator(new DemoGenerator.Plan(settings.seed(),
                settings.eventsPerSecond(), settings.sensors(), settings.services(), settings.pedestrians(),
                settings.season(), settings.anomalyRate(), settings.malformedEvery(), scoring.trajectoryStream()),
                System.currentTimeMillis());
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "flowcast-demo-feed");
            thread.setDaemon(true);
            return thread;
        });
        long tick = Math.max(10, settings.tick().toMillis());
        scheduler.scheduleAtFixedRate(() -> produce(generator), tick, tick, TimeUnit.MILLISECONDS);
        LOG.infof("Demo feed on: %.0f events/s from %d sensors and %d services, %d pedestrians every 0.4 s "
                + "(seed %d); streams %s, %s and %s", settings.eventsPerSecond(), settings.sensors(),
                settings.services(), settings.pedestrians(), settings.seed(), SeasonalSensorStream.NAME,
                RequestLatencyStream.NAME, scoring.trajectoryStream());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        LOG.info("Demo feed stopped");
    }

    private boolean isEnabled() {
        return switch (settings.enabled().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> embedded;
        };
    }

    private void produce(DemoGenerator generator) {
        try {
            for (DemoRecords.DemoRecord record : generator.tick(System.currentTimeMillis())) {
                producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value()),
                        (metadata, error) -> {
                            // Log the first failure and then every thousandth, not one line per record.
                            if (error != null && sendFailures.getAndIncrement() % 1000 == 0) {
                                LOG.warnf("Demo feed cannot produce to %s: %s", record.topic(), error.getMessage());
                            }
                        });
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: keep the feed alive.
            LOG.warnf(e, "Demo feed tick failed");
        }
    }
}
