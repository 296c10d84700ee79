package io.flowcast.trajectory;

import io.flowcast.flow.BaseKind;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.train.TrainedFlow;
import java.util.ArrayList;
import java.util.List;

/** A step flow evaluated with DJL ({@link TrainedFlow}): the training-side reference. */
public final class DjlStepDensity implements StepDensity {

    private final TrainedFlow flow;

    public DjlStepDensity(FlowConfig config, FlowParameters parameters) {
        if (config.dimension() != 2 || config.base() != BaseKind.GAUSSIAN) {
            throw new IllegalArgumentException("a chain step needs d = 2 and a Gaussian base");
        }
        this.flow = new TrainedFlow(config, parameters);
    }

    public static List<StepDensity> steps(FlowChain chain) {
        List<StepDensity> steps = new ArrayList<>();
        for (int h = 0; h < chain.stepConfigs().size(); h++) {
            steps.add(new DjlStepDensity(chain.stepConfigs().get(h), chain.stepParameters().get(h)));
        }
        return steps;
    }

    public static List<StepDensity> marginals(FlowChain chain) {
        List<StepDensity> marginals = new ArrayList<>();
        for (int h = 0; h < chain.marginalConfigs().size(); h++) {
            marginals.add(new DjlStepDensity(chain.marginalConfigs().get(h), chain.marginalParameters().get(h)));
        }
        return marginals;
    }

    @Override
    public int contextDimension() {
        return flow.contextDimension();
    }

    @Override
    public void logProb(float[] delta, float[] c, int rows, float[] out) {
        System.arraycopy(flow.logProb(delta, c, rows), 0, out, 0, rows);
    }

    @Override
    public float[] decode(float[] noise, float[] c, int rows) {
        return flow.decode(noise, c, rows);
    }

    @Override
    public void close() {
        flow.close();
    }
}
