package io.flowcast.trajectory;

import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Untrained chains whose splines are far from the identity: graph parity and timing without training. */
public final class RandomChains {

    private RandomChains() {
    }

    /** The trainer's default flows with random parameters: non-zero output layers and scalers. */
    public static FlowChain of(ChainLayout layout, long seed) {
        List<FlowConfig> steps = new ArrayList<>();
        List<FlowParameters> stepParameters = new ArrayList<>();
        List<FlowConfig> marginals = new ArrayList<>();
        List<FlowParameters> marginalParameters = new ArrayList<>();
        FlowConfig proto = FlowChainTrainer.defaultFlow().build();
        for (int h = 1; h <= layout.futureSteps(); h++) {
            FlowConfig step = FlowConfig.builder(2, layout.contextWidth()).couplings(proto.couplings())
                    .hiddenWidth(proto.hiddenWidth()).hiddenLayers(proto.hiddenLayers()).bins(proto.bins())
                    .tailBound(proto.tailBound()).seed(h).build();
            FlowConfig marginal = FlowConfig.builder(2, layout.featureWidth()).couplings(proto.couplings())
                    .hiddenWidth(proto.hiddenWidth()).hiddenLayers(proto.hiddenLayers()).bins(proto.bins())
                    .tailBound(proto.tailBound()).seed(100 + h).build();
            steps.add(step);
            stepParameters.add(perturbed(step, seed + h));
            marginals.add(marginal);
            marginalParameters.add(perturbed(marginal, seed + 100 + h));
        }
        return new FlowChain(layout, steps, stepParameters, marginals, marginalParameters, List.of());
    }

    private static FlowParameters perturbed(FlowConfig config, long seed) {
        FlowParameters parameters = FlowParameters.initialize(new ConditionalFlow(config).parameters(), seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (String name : parameters.names()) {
            float[] values = parameters.values(name).clone();
            for (int i = 0; i < values.length; i++) {
                if (name.startsWith("coupling")) {
                    values[i] += (float) (0.1 * random.nextGaussian());
                } else if (name.equals(ConditionalFlow.X_MEAN)) {
                    values[i] = (float) (0.01 * random.nextGaussian());
                } else if (name.equals(ConditionalFlow.X_STD)) {
                    // Residuals to constant velocity of a few centimetres per step, as pedestrians'.
                    values[i] = (float) (0.05 + 0.1 * random.nextDouble());
                } else if (name.equals(ConditionalFlow.C_MEAN)) {
                    values[i] = (float) (0.1 * random.nextGaussian());
                } else if (name.equals(ConditionalFlow.C_STD)) {
                    values[i] = (float) (0.5 + random.nextDouble());
                }
            }
            parameters = parameters.with(name, values);
        }
        return parameters;
    }

    /** Walks of 8 observed steps with random heading and speed. */
    public static List<float[]> histories(int agents, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[]> out = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            double heading = 2 * Math.PI * random.nextDouble();
            double speed = 0.05 + 0.6 * random.nextDouble();
            double x = 10 * random.nextDouble();
            double y = 10 * random.nextDouble();
            float[] xy = new float[16];
            for (int t = 0; t < 8; t++) {
                xy[2 * t] = (float) x;
                xy[2 * t + 1] = (float) y;
                heading += 0.3 * (random.nextDouble() - 0.5);
                x += speed * Math.cos(heading);
                y += speed * Math.sin(heading);
            }
            out.add(xy);
        }
        return out;
    }
}
