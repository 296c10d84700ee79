package io.flowcast.bench;

import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.Innovation;
import io.flowcast.flow.LatentDependence;
import io.flowcast.flow.LatentState;
import io.flowcast.flow.train.Ar1Objective;
import io.flowcast.flow.train.IidObjective;
import io.flowcast.flow.train.FlowTrainer;
import io.flowcast.flow.train.TrainedFlow;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.flow.train.TrainingData;
import io.flowcast.flow.train.TrainingResult;
import io.flowcast.retrain.Candidate;
import io.flowcast.retrain.CandidateTrainer;
import io.flowcast.retrain.FlowShape;
import io.flowcast.retrain.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The retrainer's figures (issue 5): how well a dependent objective recovers a known AR(1) coefficient, how much
 * better its held-out NLL is than the i.i.d. one's, how well innovation scores separate injected continuity breaks
 * compared with i.i.d. scores (AUROC), and the wall time of a retraining (train, export, calibrate) on
 * {@code -Dbench.retrain.records} records (default 1M) of d = 8, k = 32.
 */
public final class RetrainBench implements Benchmark {

    private static final double RHO = 0.8;
    private static final int WINDOWS = 200;
    private static final int LENGTH = 50;

    @Override
    public void run(Path dataDir, Path outDir) throws Exception {
        BenchReport report = new BenchReport("retrain");
        TrainingData train = ar1Data(WINDOWS, LENGTH, 11);
        FlowConfig flow = FlowConfig.builder(2, 0).couplings(2).hiddenWidth(16).bins(6).build();
        TrainerConfig trainer = TrainerConfig.builder().batchSize(500).maxEpochs(40).patience(8).learningRate(1e-2)
                .warmupSteps(10).build();
        TrainingResult dependent = new FlowTrainer(trainer).train(flow, train, new Ar1Objective(2));
        TrainingResult iid = new FlowTrainer(trainer).train(flow, train, new IidObjective());
        double rho = dependent.report().dependence().get("rho");
        System.out.printf("AR(1) rho: true %.3f, fitted %.3f%n", RHO, rho);
        report.put("rho_true", RHO).put("rho_fitted", rho).put("rho_recovery_abs_err", Math.abs(rho - RHO));

        // Held-out windows, never seen in training or early stopping; every 25th record replaced by an independent
        // draw from the stationary law: marginally ordinary, but it breaks the entity's continuity.
        SplittableRandom random = new SplittableRandom(99);
        int testWindows = 100;
        List<Double> innovationNormal = new ArrayList<>();
        List<Double> innovationAnomalous = new ArrayList<>();
        List<Double> iidNormal = new ArrayList<>();
        List<Double> iidAnomalous = new ArrayList<>();
        double dependentNll = 0;
        double iidNll = 0;
        int records = 0;
        LatentDependence fitted = new LatentDependence.Ar1(rho);
        try (TrainedFlow dep = dependent.toTrainedFlow(); TrainedFlow ind = iid.toTrainedFlow()) {
            for (int w = 0; w < testWindows; w++) {
                boolean[] anomalous = new boolean[LENGTH];
                for (int t = 10; t < LENGTH; t += 25) {
                    anomalous[t] = true;
                }
                double[][] z = ar1Codes(LENGTH, random, anomalous);
                float[] x = new float[LENGTH * 2];
                for (int t = 0; t < LENGTH; t++) {
                    observe(z[t], x, t);
                }
                float[] marginalDep = dep.logProb(x, new float[0], LENGTH);
                float[] codes = dep.encode(x, new float[0], LENGTH);
                float[] marginalIid = ind.logProb(x, new float[0], LENGTH);
                LatentState state = LatentState.empty();
                for (int t = 0; t < LENGTH; t++) {
                    Innovation innovation = Innovation.of(fitted, state,
                            new double[] {codes[2 * t], codes[2 * t + 1]}, marginalDep[t], 1000L * t);
                    state = innovation.next();
                    if (!anomalous[t]) {
                        dependentNll -= innovation.logDensity();
                        iidNll -= marginalIid[t];
                        records++;
                    }
                    if (t == 0) {
                        continue; // no past: the innovation is the marginal
                    }
                    (anomalous[t] ? innovationAnomalous : innovationNormal).add(-innovation.logDensity());
                    (anomalous[t] ? iidAnomalous : iidNormal).add((double) -marginalIid[t]);
                }
            }
        }
        double difference = (dependentNll - iidNll) / records;
        double innovationAuroc = auroc(innovationAnomalous, innovationNormal);
        double iidAuroc = auroc(iidAnomalous, iidNormal);
        System.out.printf("held-out NLL per record: dependent - iid = %.4f nats; AUROC innovation %.3f vs iid %.3f%n",
                difference, innovationAuroc, iidAuroc);
        report.put("dependent_minus_iid_nll", difference).put("innovation_auroc", innovationAuroc)
                .put("iid_auroc", iidAuroc).put("auroc_anomalies", innovationAnomalous.size());

        int n = Integer.getInteger("bench.retrain.records", 1_000_000);
        double seconds = retrainSeconds(n);
        report.put("retrain_records", n).put("retrain_seconds_1m_d8_k32", n == 1_000_000 ? seconds : null)
                .put("retrain_seconds", seconds);
        report.put("swap_max_stall_ms", null);
        report.write(outDir);
    }

    /** Train (to early stopping), export and calibrate, as a retraining does, on n records of d = 8, k = 32. */
    static double retrainSeconds(int n) {
        TrainingData data = FlowTrainingBench.syntheticData(n, 5);
        // Calibration rows only need to exist and be finite for the timing (their scores are not reported).
        float[] cx = new float[10_000 * 8];
        float[] cc = new float[10_000 * 32];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < cx.length; i++) {
            cx[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < cc.length; i++) {
            cc[i] = (float) random.nextGaussian();
        }
        List<String> features = List.of("f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7");
        FlowConfig config = new FlowShape(2, 32, 8, 42).config(features, 32);
        TrainerConfig trainer = TrainerConfig.builder().batchSize(1024).maxEpochs(30).patience(3).learningRate(5e-3)
                .warmupSteps(50).minImprovement(2e-3).threads(Integer.getInteger("bench.trainThreads", 1)).build();
        long start = System.nanoTime();
        Candidate candidate = new CandidateTrainer(trainer).train(new ModelSpec("bench", 1, null, features,
                new ContextSpec(1, false), 0, 0), config, new IidObjective(), data, cx, cc, 10_000);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("retrain on %d records (d=8, k=32): %.1f s (%d epochs, validation NLL %.4f, %s)%n", n,
                seconds, candidate.training().report().epochs().size(),
                candidate.training().report().bestValidationLoss(), candidate.training().report().stopReason());
        return seconds;
    }

    /** A Gaussian AR(1) of 2-d codes; at a jump the code is drawn afresh from N(0, I) and the chain goes on from it. */
    private static double[][] ar1Codes(int length, SplittableRandom random, boolean[] jumps) {
        double[][] z = new double[length][];
        z[0] = new double[] {random.nextGaussian(), random.nextGaussian()};
        double scale = Math.sqrt(1 - RHO * RHO);
        for (int t = 1; t < length; t++) {
            z[t] = jumps[t] ? new double[] {random.nextGaussian(), random.nextGaussian()}
                    : new double[] {RHO * z[t - 1][0] + scale * random.nextGaussian(),
                        RHO * z[t - 1][1] + scale * random.nextGaussian()};
        }
        return z;
    }

    /** A known invertible map from codes to observations. */
    private static void observe(double[] z, float[] x, int row) {
        x[2 * row] = (float) (4 + 3 * z[0] + Math.sin(z[1]));
        x[2 * row + 1] = (float) (-1 + 0.5 * z[1] + 0.1 * z[1] * z[1] * Math.signum(z[1]));
    }

    private static TrainingData ar1Data(int windows, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[windows * length * 2];
        long[] ids = new long[windows * length];
        long[] times = new long[windows * length];
        for (int w = 0; w < windows; w++) {
            double[][] z = ar1Codes(length, random, new boolean[length]);
            for (int t = 0; t < length; t++) {
                int row = w * length + t;
                observe(z[t], x, row);
                ids[row] = w;
                times[row] = 1000L * t;
            }
        }
        return TrainingData.windowed(2, 0, x, null, ids, times);
    }

    /** P(score of an anomaly > score of a normal record), ties counted half. */
    static double auroc(List<Double> positives, List<Double> negatives) {
        double[] negative = negatives.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double sum = 0;
        for (double p : positives) {
            int below = lowerBound(negative, p);
            int notAbove = lowerBound(negative, Math.nextUp(p));
            sum += below + 0.5 * (notAbove - below);
        }
        return sum / ((double) positives.size() * negative.length);
    }

    private static int lowerBound(double[] sorted, double value) {
        int index = Arrays.binarySearch(sorted, value);
        if (index < 0) {
            return -index - 1;
        }
        while (index > 0 && sorted[index - 1] == value) {
            index--;
        }
        return index;
    }
}
