package io.flowcast.retrain;

import io.flowcast.flow.ClockCoverage;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.train.IidObjective;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.flow.train.TrainingData;
import io.flowcast.registry.ModelRegistry;
import io.flowcast.registry.ModelVersion;
import io.flowcast.serving.FirstModelTrainer;
import io.flowcast.serving.StreamProfile;
import java.util.Arrays;
import org.jboss.logging.Logger;

/**
 * A stream's first flow, trained at start-up when the registry has none: a small flow (a few seconds of one CPU
 * core) on the first share of the stream's first records, calibrated on the later rest (a split in time), published
 * as version 1 and activated. The records carry no entity windows here, so the objective is i.i.d.; the retrainer
 * fits dependent objectives from the topics later.
 */
public final class FirstFlowTrainer implements FirstModelTrainer {

    private static final Logger LOG = Logger.getLogger(FirstFlowTrainer.class);

    private final ModelRegistry registry;
    private final FlowShape shape;
    private final TrainerConfig trainerConfig;
    private final double trainFraction;
    private final ClockCoverage clock;

    public FirstFlowTrainer(ModelRegistry registry, FlowShape shape, TrainerConfig trainerConfig,
            double trainFraction) {
        this(registry, shape, trainerConfig, trainFraction, ClockCoverage.DEFAULT);
    }

    /** @param clock which clock columns the flow's context keeps, judged on the records it trains on */
    public FirstFlowTrainer(ModelRegistry registry, FlowShape shape, TrainerConfig trainerConfig,
            double trainFraction, ClockCoverage clock) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be in (0, 1), got " + trainFraction);
        }
        this.registry = registry;
        this.shape = shape;
        this.trainerConfig = trainerConfig;
        this.trainFraction = trainFraction;
        this.clock = clock;
    }

    @Override
    public void train(StreamProfile profile, float[] x, float[] builtContext, int rows) {
        int d = profile.dimension();
        int trainRows = (int) Math.round(rows * trainFraction);
        int calibrationRows = rows - trainRows;
        if (trainRows < 10 || calibrationRows < 1) {
            LOG.warnf("Stream %s: %d records are too few for a first flow", profile.name(), rows);
            return;
        }
        if (registry.serving(profile.name()).isPresent()) {
            return;
        }
        long started = System.nanoTime();
        ContextSpec contextSpec = clock.choose(profile.context(), builtContext, trainRows, d);
        float[] context = profile.context().narrow(builtContext, rows, d, contextSpec);
        int k = contextSpec.dimension(d);
        TrainingData training = TrainingData.iid(d, k, Arrays.copyOf(x, trainRows * d),
                Arrays.copyOf(context, trainRows * k));
        FlowConfig flow = shape.config(profile.features(), k);
        int version = registry.claimNextVersion(profile.name());
        ModelSpec spec = new ModelSpec(profile.name(), version, null, profile.features(), contextSpec, 0, 0);
        Candidate candidate = new CandidateTrainer(trainerConfig).train(spec, flow, new IidObjective(), training,
                Arrays.copyOfRange(x, trainRows * d, rows * d), Arrays.copyOfRange(context, trainRows * k, rows * k),
                calibrationRows);
        if (registry.serving(profile.name()).isPresent()) {
            LOG.infof("Stream %s: another instance published a model meanwhile; discarding this one", profile.name());
            return;
        }
        ModelVersion published = registry.publish(candidate.draft(), candidate.artifactBytes());
        registry.activate(profile.name(), published.version(), "first model, trained at start-up");
        LOG.infof("Stream %s: first flow v%d trained on %d records in %.1f s (validation NLL %.3f), calibrated on %d "
                + "later records, published and activated; time features %s", profile.name(), published.version(),
                trainRows, (System.nanoTime() - started) / 1e9, candidate.training().report().bestValidationLoss(),
                calibrationRows, contextSpec.timeFeatureNames());
    }
}
