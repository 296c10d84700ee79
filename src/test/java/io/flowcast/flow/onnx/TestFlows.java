package io.flowcast.flow.onnx;

import io.flowcast.flow.BaseKind;
import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.CouplingKind;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Flows with random, far-from-identity parameters for export tests, and random inputs for them. */
public final class TestFlows {

    private TestFlows() {
    }

    /** Every combination the contract names: d in {1, 2, 5}, k in {0, 16}, both bases, both couplings. */
    public static List<FlowConfig> contractConfigs() {
        List<FlowConfig> configs = new ArrayList<>();
        for (int d : new int[] {1, 2, 5}) {
            for (int k : new int[] {0, 16}) {
                for (BaseKind base : BaseKind.values()) {
                    for (CouplingKind coupling : CouplingKind.values()) {
                        configs.add(FlowConfig.builder(d, k).couplings(3).hiddenWidth(16).bins(6).tailBound(3f)
                                .base(base).coupling(coupling).seed(d * 100L + k).build());
                    }
                }
            }
        }
        return configs;
    }

    /**
     * Every parameter random: a non-trivial scaler, conditioner outputs of order one (uneven bins, derivatives far
     * from 1), Student-t degrees of freedom between about 1.5 and 4.
     */
    public static FlowParameters randomParameters(ConditionalFlow flow, long seed) {
        FlowParameters parameters = FlowParameters.initialize(flow.parameters(), seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (String name : parameters.names()) {
            float[] values = parameters.values(name);
            long[] shape = parameters.shape(name);
            for (int i = 0; i < values.length; i++) {
                double u = random.nextDouble() * 2 - 1;
                if (name.equals(ConditionalFlow.X_STD) || name.equals(ConditionalFlow.C_STD)) {
                    values[i] = (float) Math.exp(u);
                } else if (name.equals(ConditionalFlow.X_MEAN) || name.equals(ConditionalFlow.C_MEAN)) {
                    values[i] = (float) (2 * u);
                } else if (name.equals(ConditionalFlow.DF_RAW)) {
                    values[i] = (float) (1 + u);
                } else if (shape.length == 2) {
                    values[i] = (float) (u * Math.sqrt(3.0 / shape[0]));
                } else {
                    values[i] = (float) (0.5 * u);
                }
            }
            parameters = parameters.with(name, values);
        }
        return parameters;
    }

    public static FlowArtifact export(FlowConfig config, long seed) {
        ConditionalFlow flow = new ConditionalFlow(config);
        return new FlowOnnxExporter().export(flow, randomParameters(flow, seed), "test-" + config.dimension() + "-"
                + config.contextDimension(), "v" + seed, Map.of("best_validation_nll", 1.25, "epochs", 7));
    }

    /** Values around the scaler's range, a tenth of them far out in the tails. */
    public static float[] randomRows(int rows, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[rows * width];
        for (int i = 0; i < values.length; i++) {
            double scale = random.nextInt(10) == 0 ? 12 : 2;
            values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return values;
    }

    public static String describe(FlowConfig config) {
        return "d=" + config.dimension() + " k=" + config.contextDimension() + " " + config.base() + " "
                + config.coupling();
    }
}
