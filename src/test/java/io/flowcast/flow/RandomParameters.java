package io.flowcast.flow;

import java.util.SplittableRandom;

/**
 * Parameters with every entry random (including the zero-initialised output layers and the scaler), so that tests
 * exercise a flow far from the identity it starts as.
 */
public final class RandomParameters {

    private RandomParameters() {
    }

    public static FlowParameters of(ConditionalFlow flow, long seed, float scale) {
        FlowParameters parameters = FlowParameters.initialize(flow.parameters(), seed);
        SplittableRandom random = new SplittableRandom(seed * 7919 + 1);
        for (String name : parameters.names()) {
            float[] values = parameters.values(name);
            for (int i = 0; i < values.length; i++) {
                double u = random.nextDouble() * 2 - 1;
                if (name.endsWith(".std")) {
                    values[i] = (float) Math.exp(0.5 * u);
                } else if (name.endsWith(".mean")) {
                    values[i] = (float) u;
                } else if (name.equals(ConditionalFlow.DF_RAW)) {
                    values[i] = (float) (1.5 * u + 1);
                } else if (name.endsWith(".weight")) {
                    // Keeps each layer's output of order `scale`, like a trained network, not saturated extremes.
                    values[i] = (float) (scale * u * Math.sqrt(3.0 / parameters.shape(name)[0]));
                } else {
                    values[i] = (float) (scale * u * 0.5);
                }
            }
            parameters = parameters.with(name, values);
        }
        return parameters;
    }
}
