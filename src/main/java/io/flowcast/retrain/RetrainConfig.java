package io.flowcast.retrain;

import io.flowcast.flow.ClockCoverage;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.serving.StreamProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;

/**
 * The retrainer's configuration ({@code flowcast.retrain.*}) and the stream profiles, read from a MicroProfile
 * {@link Config} directly, so the same code serves the in-service schedule and the standalone job (which runs
 * without the Quarkus container).
 */
public record RetrainConfig(Duration window, int maxRecords, Retrainer.Settings settings, List<StreamProfile> profiles,
        String trajectoryStream, Path cacheDir) {

    public static RetrainConfig from(Config config) {
        TrainerConfig trainer = TrainerConfig.builder()
                .batchSize(get(config, "flowcast.retrain.batch-size", Integer.class, 256))
                .maxEpochs(get(config, "flowcast.retrain.max-epochs", Integer.class, 30))
                .patience(5).warmupSteps(20).learningRate(3e-3)
                .maxSeconds(get(config, "flowcast.retrain.max-seconds", Double.class, 60.0)).budgetOnCpuTime(true)
                .threads(1)
                .maxRecordsPerEpoch(get(config, "flowcast.retrain.max-records-per-epoch", Integer.class, 100_000))
                .maxValidationRecords(get(config, "flowcast.retrain.max-validation-records", Integer.class, 20_000))
                .build();
        FlowShape shape = new FlowShape(get(config, "flowcast.retrain.couplings", Integer.class, 2),
                get(config, "flowcast.retrain.hidden-width", Integer.class, 32),
                get(config, "flowcast.retrain.bins", Integer.class, 8), 42);
        PromotionGate gate = new PromotionGate(
                get(config, "flowcast.retrain.nll-tolerance", Double.class, 0.02),
                get(config, "flowcast.retrain.calibration-tolerance", Double.class, 0.05),
                get(config, "flowcast.retrain.max-calibration-error", Double.class, 0.15),
                get(config, "flowcast.retrain.parity-tolerance", Double.class, 1e-3));
        Retrainer.Settings settings = new Retrainer.Settings(
                get(config, "flowcast.retrain.objective", String.class, "ou"), shape, trainer,
                get(config, "flowcast.retrain.train-share", Double.class, 0.7),
                get(config, "flowcast.retrain.calibration-share", Double.class, 0.15),
                get(config, "flowcast.retrain.min-records", Integer.class, 500), gate, clockCoverage(config));
        // Parsed here: a plain SmallRye Config (the standalone job) has no Duration converter.
        return new RetrainConfig(Duration.parse(get(config, "flowcast.retrain.window", String.class, "PT1H")),
                get(config, "flowcast.retrain.max-records", Integer.class, 5000), settings, profiles(config),
                get(config, "flowcast.scoring.trajectory-stream", String.class, "pedestrians"),
                Path.of(get(config, "flowcast.registry.cache-dir", String.class, "data/models")));
    }

    /** {@code flowcast.streams.<name>.features} and their overrides, as the service reads them. */
    static List<StreamProfile> profiles(Config config) {
        TreeSet<String> names = new TreeSet<>();
        for (String key : config.getPropertyNames()) {
            if (key.startsWith("flowcast.streams.") && key.endsWith(".features")) {
                names.add(key.substring("flowcast.streams.".length(), key.length() - ".features".length()));
            }
        }
        int window = get(config, "flowcast.scoring.window", Integer.class, 8);
        boolean timeFeatures = get(config, "flowcast.scoring.time-features", Boolean.class, true);
        double threshold = get(config, "flowcast.scoring.threshold", Double.class, 0.005);
        List<StreamProfile> profiles = new ArrayList<>();
        for (String name : names) {
            String prefix = "flowcast.streams." + name + ".";
            List<String> features = Arrays.stream(config.getValue(prefix + "features", String.class).split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
            profiles.add(new StreamProfile(name, features, new ContextSpec(
                    get(config, prefix + "window", Integer.class, window),
                    get(config, prefix + "time-features", Boolean.class, timeFeatures)),
                    get(config, prefix + "threshold", Double.class, threshold)));
        }
        return profiles;
    }

    /** The clock-column guard of {@code flowcast.scoring.*-min-days}, as the service reads it. */
    static ClockCoverage clockCoverage(Config config) {
        return new ClockCoverage(get(config, "flowcast.scoring.hour-of-day-min-days", Double.class, 1.0),
                get(config, "flowcast.scoring.day-of-week-min-days", Double.class, 7.0));
    }

    private static <T> T get(Config config, String key, Class<T> type, T fallback) {
        return config.getOptionalValue(key, type).orElse(fallback);
    }
}
