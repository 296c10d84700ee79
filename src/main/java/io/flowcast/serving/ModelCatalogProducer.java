package io.flowcast.serving;

import io.flowcast.contract.TopicNames;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.registry.ModelRegistry;
import io.flowcast.registry.RegistrySettings;
import io.flowcast.retrain.FirstFlowTrainer;
import io.flowcast.retrain.FlowShape;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Builds the stream profiles from configuration and the catalog that serves their models: flows from the registry
 * on {@code flowcast.models} (with an interim model and a first flow trained at start-up for streams it has none
 * for), or, with {@code flowcast.registry.enabled=false}, the in-memory warm-up models only.
 */
public class ModelCatalogProducer {

    private static final Logger LOG = Logger.getLogger(ModelCatalogProducer.class);

    @Produces
    @Singleton
    ModelRegistry registry(RegistrySettings settings) {
        Config config = ConfigProvider.getConfig();
        String servers = config.getOptionalValue("quarkus.kafka-streams.bootstrap-servers", String.class)
                .or(() -> config.getOptionalValue("kafka.bootstrap.servers", String.class))
                .orElse("localhost:9092");
        return new ModelRegistry(servers, TopicNames.MODELS, Path.of(settings.cacheDir()), settings.chunkBytes());
    }

    @Produces
    @Singleton
    ModelCatalog catalog(ScoringSettings scoring, StreamSettings streams, WarmupSettings warmup,
            RegistrySettings registrySettings, FirstModelSettings firstModel, Instance<ModelRegistry> registries) {
        List<StreamProfile> profiles = profiles(scoring, streams);
        if (!registrySettings.enabled()) {
            return new WarmupModelCatalog(profiles, warmup.fitRecords(), warmup.holdoutRecords(), warmup.ridge(),
                    scoring.clockCoverage());
        }
        ModelRegistry registry = registries.get();
        FirstModelTrainer trainer = null;
        if (firstModel.enabled()) {
            TrainerConfig trainerConfig = TrainerConfig.builder().batchSize(128).maxEpochs(firstModel.maxEpochs())
                    .patience(5).warmupSteps(20).learningRate(5e-3).maxSeconds(firstModel.maxSeconds()).threads(1)
                    .build();
            trainer = new FirstFlowTrainer(registry, new FlowShape(firstModel.couplings(),
                    firstModel.hiddenWidth(), firstModel.bins(), 42), trainerConfig, firstModel.trainFraction(),
                    scoring.clockCoverage());
        }
        String provider = ConfigProvider.getConfig().getOptionalValue("flowcast.execution-provider", String.class)
                .orElse("auto");
        LOG.infof("Serving flows from the registry on %s (artifact cache %s)", TopicNames.MODELS,
                registrySettings.cacheDir());
        return new RegistryModelCatalog(profiles, registry, SessionSettings.defaults(),
                new ExecutionProviderSelector(ProviderChoice.parse(provider)), warmup.fitRecords(),
                warmup.holdoutRecords(), warmup.ridge(), trainer, registrySettings.retireGrace(),
                scoring.clockCoverage());
    }

    void closeCatalog(@Disposes ModelCatalog catalog) {
        if (catalog instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warnf("Closing the model catalog failed: %s", e.getMessage());
            }
        }
    }

    void closeRegistry(@Disposes ModelRegistry registry) {
        registry.close();
    }

    static List<StreamProfile> profiles(ScoringSettings scoring, StreamSettings streams) {
        List<StreamProfile> profiles = new ArrayList<>();
        for (Map.Entry<String, StreamSettings.Stream> entry : streams.streams().entrySet()) {
            StreamSettings.Stream stream = entry.getValue();
            ContextSpec context = new ContextSpec(stream.window().orElse(scoring.window()),
                    stream.timeFeatures().orElse(scoring.timeFeatures()));
            profiles.add(new StreamProfile(entry.getKey(), stream.features(), context,
                    stream.threshold().orElse(scoring.threshold())));
        }
        return profiles;
    }
}
