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

/** Trains the chain's step flows one after the other with the DJL {@link FlowTrainer} (i.i.d. NLL, teacher forcing). */
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

    public FlowChain train(List<TrajectoryWindow> windows) {
        ChainTrainingSet set = ChainTrainingSet.build(layout, windows, maxWindows, trainerConfig.seed());
        if (set.windows() < 2) {
            throw new IllegalArgumentException("too few usable training windows: " + set.windows());
        }
        FlowTrainer trainer = new FlowTrainer(trainerConfig);
        List<FlowConfig> configs = new ArrayList<>();
        List<FlowParameters> parameters = new ArrayList<>();
        List<Map<String, Object>> metrics = new ArrayList<>();
        FlowConfig proto = flowTemplate.build();
        for (int h = 1; h <= layout.futureSteps(); h++) {
            FlowConfig config = FlowConfig.builder(2, layout.contextWidth())
                    .couplings(proto.couplings()).hiddenWidth(proto.hiddenWidth()).hiddenLayers(proto.hiddenLayers())
                    .bins(proto.bins()).tailBound(proto.tailBound()).base(proto.base()).coupling(proto.coupling())
                    .mixing(proto.mixing()).minBinWidth(proto.minBinWidth()).minBinHeight(proto.minBinHeight())
                    .minDerivative(proto.minDerivative()).seed(proto.seed() + h)
                    .featureNames(List.of("delta.x", "delta.y")).contextNames(layout.contextNames()).build();
            TrainingResult result = trainer.train(config, set.step(h));
            TrainingReport report = result.report();
            configs.add(config);
            parameters.add(result.parameters());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", h);
            m.put("windows", set.windows());
            m.put("best_validation_nll", report.bestValidationLoss());
            m.put("best_epoch", report.bestEpoch());
            m.put("seconds", report.wallSeconds());
            metrics.add(m);
            progress.accept(String.format("step %2d: val NLL %.3f at epoch %d (%s), %.1f s", h,
                    report.bestValidationLoss(), report.bestEpoch(), report.stopReason(), report.wallSeconds()));
        }
        return new FlowChain(layout, configs, parameters, metrics);
    }
}
