package io.flowcast.retrain;

import io.flowcast.contract.TopicNames;
import io.flowcast.registry.ModelRegistry;
import io.smallrye.config.PropertiesConfigSourceLoader;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The retrainer as a one-shot job (a Kubernetes CronJob runs {@code java -jar quarkus-run.jar retrain} against the
 * cluster in {@code KAFKA_BOOTSTRAP_SERVERS}): no Quarkus container, no stream processing, no broker; it reads the
 * same configuration, retrains every stream once, publishes what the gate promotes and exits with 0, or 1 when any
 * stream failed.
 */
public final class RetrainJob {

    private static final Logger LOG = Logger.getLogger(RetrainJob.class);

    private RetrainJob() {
    }

    public static int run() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        String profile = System.getProperty("quarkus.profile",
                Optional.ofNullable(System.getenv("QUARKUS_PROFILE")).orElse("prod"));
        SmallRyeConfig config = new SmallRyeConfigBuilder().forClassLoader(loader).addDefaultInterceptors()
                .addDefaultSources()
                .withSources(PropertiesConfigSourceLoader.inFileSystem("config/application.properties", 260, loader))
                .withSources(PropertiesConfigSourceLoader.inClassPath("application.properties", 250, loader))
                .withProfile(profile).build();
        Optional<String> servers = config.getOptionalValue("quarkus.kafka-streams.bootstrap-servers", String.class)
                .or(() -> config.getOptionalValue("kafka.bootstrap.servers", String.class))
                .filter(s -> !s.isBlank());
        if (servers.isEmpty()) {
            LOG.error("The retrain job needs a cluster: set KAFKA_BOOTSTRAP_SERVERS");
            return 2;
        }
        RetrainConfig retrain = RetrainConfig.from(config);
        try (ModelRegistry registry = new ModelRegistry(servers.get(), TopicNames.MODELS, retrain.cacheDir(),
                config.getOptionalValue("flowcast.registry.chunk-bytes", Integer.class).orElse(512 * 1024))) {
            if (!registry.awaitCaughtUp(Duration.ofMinutes(2))) {
                LOG.error("Could not read the registry within 2 minutes");
                return 1;
            }
            List<RetrainOutcome> outcomes = new RetrainRun(registry, new TopicWindowReader(servers.get(),
                    retrain.trajectoryStream()), retrain).run(System.currentTimeMillis(), outcome -> { });
            return outcomes.stream().anyMatch(o -> o.result() == RetrainOutcome.Result.FAILED) ? 1 : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
