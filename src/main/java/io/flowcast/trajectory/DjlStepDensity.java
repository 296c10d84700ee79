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

    public static List<StepDensity> of(FlowChain chain) {
        List<StepDensity> steps = new ArrayList<>();
        for (int h = 0; h < chain.configs().size(); h++) {
            steps.add(new DjlStepDensity(chain.configs().get(h), chain.parameters().get(h)));
        }
        return steps;
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
