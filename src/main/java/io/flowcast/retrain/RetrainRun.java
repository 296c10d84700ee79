package io.flowcast.retrain;

import io.flowcast.registry.ModelRegistry;
import io.flowcast.serving.StreamProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One retraining pass over every stream: the window [now - window, now] is read from the topics once, then each
 * stream is retrained in turn (one training at a time: the machine also serves).
 */
public final class RetrainRun {

    private final ModelRegistry registry;
    private final TopicWindowReader reader;
    private final RetrainConfig config;

    public RetrainRun(ModelRegistry registry, TopicWindowReader reader, RetrainConfig config) {
        this.registry = registry;
        this.reader = reader;
        this.config = config;
    }

    /** @param onOutcome called after each stream (metrics) */
    public List<RetrainOutcome> run(long now, Consumer<RetrainOutcome> onOutcome) {
        Map<String, List<StreamObservation>> records = reader.read(config.profiles(),
                now - config.window().toMillis(), now, config.maxRecords());
        Retrainer retrainer = new Retrainer(registry,
                profile -> records.getOrDefault(profile.name(), List.of()), config.settings());
        List<RetrainOutcome> outcomes = new ArrayList<>();
        for (StreamProfile profile : config.profiles()) {
            RetrainOutcome outcome = retrainer.retrain(profile);
            outcomes.add(outcome);
            onOutcome.accept(outcome);
        }
        return outcomes;
    }
}
