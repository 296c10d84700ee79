package io.flowcast.flow.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.Innovation;
import io.flowcast.flow.LatentDependence;
import io.flowcast.flow.LatentState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's "Done when" on held-out dependent data: the AR(1) objective gives a better NLL per record than the
 * i.i.d. one, and innovation scores (the record's density given the entity's previous code) separate injected
 * continuity breaks better than the i.i.d. marginal scores, measured as AUROC. A break replaces a record by an
 * independent draw from the stationary law: marginally ordinary, so only the dependence can see it.
 */
class InnovationAurocTest {

    private static final double RHO = 0.8;
    private static final int LENGTH = 50;

    @Test
    @Tag("slow")
    void innovationScoresSeparateContinuityBreaksBetter() {
        TrainingData train = data(120, new SplittableRandom(11));
        FlowConfig flow = FlowConfig.builder(2, 0).couplings(2).hiddenWidth(16).bins(6).build();
        TrainerConfig trainer = TrainerConfig.builder().batchSize(500).maxEpochs(25).patience(6).learningRate(1e-2)
                .warmupSteps(10).build();
        TrainingResult dependent = new FlowTrainer(trainer).train(flow, train, new Ar1Objective(2));
        TrainingResult iid = new FlowTrainer(trainer).train(flow, train, new IidObjective());
        LatentDependence fitted = new LatentDependence.Ar1(dependent.report().dependence().get("rho"));

        SplittableRandom random = new SplittableRandom(99);
        List<Double> innovationNormal = new ArrayList<>();
        List<Double> innovationBreak = new ArrayList<>();
        List<Double> iidNormal = new ArrayList<>();
        List<Double> iidBreak = new ArrayList<>();
        double dependentNll = 0;
        double iidNll = 0;
        int records = 0;
        try (TrainedFlow dep = dependent.toTrainedFlow(); TrainedFlow ind = iid.toTrainedFlow()) {
            for (int w = 0; w < 60; w++) {
                boolean[] breaks = new boolean[LENGTH];
                for (int t = 10; t < LENGTH; t += 25) {
                    breaks[t] = true;
                }
                float[] x = observe(codes(random, breaks));
                float[] marginalDep = dep.logProb(x, new float[0], LENGTH);
                float[] z = dep.encode(x, new float[0], LENGTH);
                float[] marginalIid = ind.logProb(x, new float[0], LENGTH);
                LatentState state = LatentState.empty();
                for (int t = 0; t < LENGTH; t++) {
                    Innovation innovation = Innovation.of(fitted, state, new double[] {z[2 * t], z[2 * t + 1]},
                            marginalDep[t], 1000L * t);
                    state = innovation.next();
                    if (!breaks[t]) {
                        dependentNll -= innovation.logDensity();
                        iidNll -= marginalIid[t];
                        records++;
                    }
                    if (t > 0) {
                        (breaks[t] ? innovationBreak : innovationNormal).add(-innovation.logDensity());
                        (breaks[t] ? iidBreak : iidNormal).add((double) -marginalIid[t]);
                    }
                }
            }
        }
        double nllGain = (dependentNll - iidNll) / records;
        double innovationAuroc = auroc(innovationBreak, innovationNormal);
        double iidAuroc = auroc(iidBreak, iidNormal);
        String figures = String.format("dependent - iid NLL %.3f nats/record; AUROC innovation %.3f, iid %.3f",
                nllGain, innovationAuroc, iidAuroc);
        assertTrue(nllGain < -0.3, figures);
        assertTrue(innovationAuroc > 0.7 && innovationAuroc > iidAuroc + 0.1, figures);
    }

    /** 2-d Gaussian AR(1) codes; at a break the code is drawn afresh from N(0, I) and the chain goes on from it. */
    private static double[][] codes(SplittableRandom random, boolean[] breaks) {
        double[][] z = new double[LENGTH][];
        z[0] = new double[] {random.nextGaussian(), random.nextGaussian()};
        double scale = Math.sqrt(1 - RHO * RHO);
        for (int t = 1; t < LENGTH; t++) {
            z[t] = breaks[t] ? new double[] {random.nextGaussian(), random.nextGaussian()}
                    : new double[] {RHO * z[t - 1][0] + scale * random.nextGaussian(),
                        RHO * z[t - 1][1] + scale * random.nextGaussian()};
        }
        return z;
    }

    /** A known invertible nonlinear map from codes to observations. */
    private static float[] observe(double[][] z) {
        float[] x = new float[z.length * 2];
        for (int t = 0; t < z.length; t++) {
            x[2 * t] = (float) (4 + 3 * z[t][0] + Math.sin(z[t][1]));
            x[2 * t + 1] = (float) (-1 + 0.5 * z[t][1] + 0.1 * z[t][1] * z[t][1] * Math.signum(z[t][1]));
        }
        return x;
    }

    private static TrainingData data(int windows, SplittableRandom random) {
        float[] x = new float[windows * LENGTH * 2];
        long[] ids = new long[windows * LENGTH];
        long[] times = new long[windows * LENGTH];
        for (int w = 0; w < windows; w++) {
            float[] window = observe(codes(random, new boolean[LENGTH]));
            System.arraycopy(window, 0, x, w * LENGTH * 2, window.length);
            for (int t = 0; t < LENGTH; t++) {
                ids[w * LENGTH + t] = w;
                times[w * LENGTH + t] = 1000L * t;
            }
        }
        return TrainingData.windowed(2, 0, x, null, ids, times);
    }

    /** P(score of a break > score of a normal record), ties counted half. */
    private static double auroc(List<Double> positives, List<Double> negatives) {
        double[] negative = negatives.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double sum = 0;
        for (double p : positives) {
            int below = 0;
            int ties = 0;
            for (double n : negative) {
                if (n < p) {
                    below++;
                } else if (n == p) {
                    ties++;
                }
            }
            sum += below + 0.5 * ties;
        }
        return sum / ((double) positives.size() * negative.length);
    }
}
