package io.flowcast.flow.onnx;

import io.flowcast.flow.BaseKind;
import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.CouplingKind;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.MixingKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import io.flowcast.flow.RandomParameters;

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

    /** The contract configurations plus learned LU mixing between couplings. */
    public static List<FlowConfig> contractConfigsWithLu() {
        List<FlowConfig> configs = new ArrayList<>(contractConfigs());
        configs.add(FlowConfig.builder(5, 16).couplings(3).hiddenWidth(16).mixing(MixingKind.LU)
                .base(BaseKind.STUDENT_T).seed(7).build());
        configs.add(FlowConfig.builder(2, 0).couplings(3).hiddenWidth(16).mixing(MixingKind.LU)
                .coupling(CouplingKind.AFFINE).seed(8).build());
        return configs;
    }

    /** |a - b| / max(|b|, 1): relative where values are large, absolute near zero (log-densities cross zero). */
    public static double maxRelativeError(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("lengths differ: " + actual.length + " vs " + expected.length);
        }
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double error = Math.abs((double) actual[i] - expected[i]) / Math.max(1.0, Math.abs(expected[i]));
            worst = Math.max(worst, Double.isNaN(error) ? Double.POSITIVE_INFINITY : error);
        }
        return worst;
    }

    /**
     * Every parameter random (scaler, output layers, degrees of freedom included), at the strength the flow math's
     * own invertibility tests use: far from the identity, yet not so extreme that float32 inversion breaks down.
     */
    public static FlowParameters randomParameters(ConditionalFlow flow, long seed) {
        return RandomParameters.of(flow, seed, 0.5f);
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
