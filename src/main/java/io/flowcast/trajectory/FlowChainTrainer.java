package io.flowcast.trajectory;

import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.train.FlowTrainer;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.flow.train.TrainingReport;
import io.flowcast.flow.train.TrainingResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/** Trains the chain's path and marginal flows one after the other with the DJL {@link FlowTrainer} (i.i.d. NLL, teacher forcing). */
public final class FlowChainTrainer {

    private final ChainLayout layout;
    private final FlowConfig.Builder flowTemplate;
    private final TrainerConfig trainerConfig;
    private final int maxWindows;
    private final Consumer<String> progress;

    /**
     * @param flowTemplate the step flows' settings (its dimension and context width are replaced by the layout's)
     * @param maxWindows   training windows are subsampled (seeded) to at most this many
     */
    public FlowChainTrainer(ChainLayout layout, FlowConfig.Builder flowTemplate, TrainerConfig trainerConfig,
            int maxWindows, Consumer<String> progress) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.flowTemplate = Objects.requireNonNull(flowTemplate, "flowTemplate");
        this.trainerConfig = Objects.requireNonNull(trainerConfig, "trainerConfig");
        this.maxWindows = maxWindows;
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** A small spline flow per step: 4 couplings, 8 bins, conditioners 2 x 32. */
    public static FlowConfig.Builder defaultFlow() {
        return FlowConfig.builder(2, 1).couplings(4).bins(8).hiddenWidth(32).hiddenLayers(2).tailBound(5f);
    }

    private FlowConfig config(List<String> contextNames, List<String> featureNames, long seedOffset) {
        FlowConfig proto = flowTemplate.build();
        return FlowConfig.builder(2, contextNames.size())
                .couplings(proto.couplings()).hiddenWidth(proto.hiddenWidth()).hiddenLayers(proto.hiddenLayers())
                .bins(proto.bins()).tailBound(proto.tailBound()).base(proto.base()).coupling(proto.coupling())
                .mixing(proto.mixing()).minBinWidth(proto.minBinWidth()).minBinHeight(proto.minBinHeight())
                .minDerivative(proto.minDerivative()).seed(proto.seed() + seedOffset)
                .featureNames(featureNames).contextNames(contextNames).build();
    }

    private static TrainingReport fit(FlowTrainer trainer, FlowConfig config, io.flowcast.flow.train.TrainingData data,
            List<FlowConfig> configs, List<FlowParameters> parameters) {
        TrainingResult result = trainer.train(config, data);
        configs.add(config);
        parameters.add(result.parameters());
        return result.report();
    }

    public FlowChain train(List<TrajectoryWindow> windows) {
        ChainTrainingSet set = ChainTrainingSet.build(layout, windows, maxWindows, trainerConfig.seed());
        if (set.windows() < 2) {
            throw new IllegalArgumentException("too few usable training windows: " + set.windows());
        }
        FlowTrainer trainer = new FlowTrainer(trainerConfig);
        List<FlowConfig> stepConfigs = new ArrayList<>();
        List<FlowParameters> stepParameters = new ArrayList<>();
        List<FlowConfig> marginalConfigs = new ArrayList<>();
        List<FlowParameters> marginalParameters = new ArrayList<>();
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int h = 1; h <= layout.futureSteps(); h++) {
            FlowConfig step = config(layout.contextNames(), List.of("delta.x", "delta.y"), h);
            FlowConfig marginal = config(layout.newFeatures().names(), List.of("residual.x", "residual.y"), 100 + h);
            TrainingReport stepReport = fit(trainer, step, set.step(h), stepConfigs, stepParameters);
            TrainingReport marginalReport = fit(trainer, marginal, set.marginal(h), marginalConfigs,
                    marginalParameters);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("horizon", h);
            m.put("windows", set.windows());
            m.put("step_validation_nll", stepReport.bestValidationLoss());
            m.put("marginal_validation_nll", marginalReport.bestValidationLoss());
            m.put("seconds", stepReport.wallSeconds() + marginalReport.wallSeconds());
            metrics.add(m);
            progress.accept(String.format("h=%2d: path flow val NLL %.3f (epoch %d, %s), marginal flow val NLL %.3f"
                    + " (epoch %d, %s), %.1f s", h, stepReport.bestValidationLoss(), stepReport.bestEpoch(),
                    stepReport.stopReason(), marginalReport.bestValidationLoss(), marginalReport.bestEpoch(),
                    marginalReport.stopReason(), stepReport.wallSeconds() + marginalReport.wallSeconds()));
        }
        return new FlowChain(layout, stepConfigs, stepParameters, marginalConfigs, marginalParameters, metrics);
    }
}
