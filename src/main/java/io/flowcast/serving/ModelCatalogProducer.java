package io.flowcast.serving;

import io.flowcast.flow.ContextSpec;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the stream profiles from configuration and the catalog that serves their models. */
public class ModelCatalogProducer {

    @Produces
    @Singleton
    ModelCatalog catalog(ScoringSettings scoring, StreamSettings streams, WarmupSettings warmup) {
        return new WarmupModelCatalog(profiles(scoring, streams), warmup.fitRecords(), warmup.holdoutRecords(),
                warmup.ridge());
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
