package io.flowcast.bench;

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
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The retrainer's figures (issue 5): how well a dependent objective recovers a known AR(1) coefficient, how much
 * better its held-out NLL is than the i.i.d. one's, how well innovation scores separate injected continuity breaks
 * compared with i.i.d. scores (AUROC); the wall and CPU time of a whole retraining pipeline on
 * {@code -Dbench.retrain.records} records (default 1M, d = 8; see {@link RetrainPipelineBench}); and the hot-swap
 * stall and memory over {@code -Dbench.swaps} swaps (default 100; see {@link SwapBench}).
 * {@code -Dbench.retrain.parts=dependence,pipeline,swap} picks parts, {@code -Dbench.retrain.set=key=value;...}
 * overrides {@code flowcast.retrain.*} settings. The bench profile forks the JVM: pass these with
 * {@code JAVA_TOOL_OPTIONS="-Dbench.retrain.records=100000"} (add {@code -XX:NativeMemoryTracking=summary} to split
 * the swap bench's memory into the JVM's own and the rest).
 */
public final class RetrainBench implements Benchmark {

    private static final double RHO = 0.8;
    private static final int WINDOWS = 200;
    private static final int LENGTH = 50;

    @Override
    public void run(Path dataDir, Path outDir) throws Exception {
        BenchReport report = new BenchReport("retrain");
        java.util.Set<String> parts = java.util.Set.of(System.getProperty("bench.retrain.parts",
                "dependence,pipeline,swap").split(","));
        if (parts.contains("dependence")) {
            dependence(report);
        }
        if (parts.contains("pipeline")) {
            pipeline(report);
        }
        if (parts.contains("swap")) {
            swap(report);
        }
        report.put("load_average_1m", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        report.write(outDir);
    }

    /** rho recovery, held-out NLL of the dependent objective against the i.i.d. one, innovation AUROC. */
    private static void dependence(BenchReport report) throws Exception {
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

    }

    /**
     * The whole retraining pipeline on {@code bench.retrain.records} records (default 1M; see
     * {@link RetrainPipelineBench}); {@code bench.retrain.set=key=value;key=value} overrides retrain settings.
     */
    private static void pipeline(BenchReport report) throws Exception {
        int n = Integer.getInteger("bench.retrain.records", 1_000_000);
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String pair : System.getProperty("bench.retrain.set", "").split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        RetrainPipelineBench.Result result = RetrainPipelineBench.run(n, overrides);
        Map<String, Double> phases = result.outcome().phases();
        report.put("retrain_records", n).put("retrain_seconds_1m_d8_k32", n == 1_000_000 ? result.totalSeconds()
                        : null)
                .put("retrain_seconds", result.totalSeconds()).put("retrain_cpu_seconds", result.cpuSeconds())
                .put("retrain_outcome", result.outcome().result().label())
                .put("retrain_context_dimension", result.contextDimension())
                .put("retrain_read_seconds", result.readSeconds())
                .put("retrain_produce_seconds_untimed", result.produceSeconds())
                .put("retrain_load_average_before", loadBefore)
                .put("retrain_load_average_after", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        phases.forEach((key, value) -> report.put("retrain_" + key, value));
        if (result.outcome().candidate() != null) {
            report.put("retrain_candidate_validation_nll", result.outcome().candidate().meanNll());
        }
        if (result.outcome().live() != null) {
            report.put("retrain_live_validation_nll", result.outcome().live().meanNll());
        }
        result.settings().forEach((key, value) -> {
            if (!key.startsWith("flowcast.streams.")) {
                report.put("retrain_setting_" + key.substring("flowcast.retrain.".length()), value);
            }
        });
    }

    /** Hot swap under load: the stall a swap causes, resident memory over the swaps. */
    private static void swap(BenchReport report) throws Exception {
        SwapBench.Result swap = SwapBench.run(Integer.getInteger("bench.swaps", 100));
        System.out.printf("hot swap x%d: 64-row batches, slowest %.2f ms before and %.2f ms during swaps (p99 %.3f vs"
                + " %.3f ms); RSS %.0f MB after 10 swaps, %.0f MB after %d%n", swap.swaps(), swap.baselineMaxMs(),
                swap.swapMaxMs(), swap.baselineP99Ms(), swap.swapP99Ms(), swap.rssAfter10Mb(), swap.rssAfterAllMb(),
                swap.swaps());
        // What a swap adds to the first batch on the new version, in CPU time of the scoring thread (a cold session
        // works; nothing in the path blocks), so the machine's load does not read as a stall; the wall-clock
        // figures are beside it.
        report.put("swap_max_stall_ms", Math.max(0, swap.firstBatchCpuMaxMs() - swap.steadyCpuP50Ms()))
                .put("swap_first_batch_cpu_max_ms", swap.firstBatchCpuMaxMs())
                .put("swap_first_batch_cpu_p50_ms", swap.firstBatchCpuP50Ms())
                .put("swap_steady_batch_cpu_p50_ms", swap.steadyCpuP50Ms())
                .put("swap_steady_batch_cpu_p99_ms", swap.steadyCpuP99Ms())
                .put("swap_first_batch_p90_ms", swap.firstBatchP90Ms())
                .put("swap_steady_batch_p99_ms", swap.steadyP99Ms())
                .put("swap_wall_max_minus_baseline_max_ms", Math.max(0, swap.swapMaxMs() - swap.baselineMaxMs()))
                .put("swap_batch_max_ms_baseline", swap.baselineMaxMs())
                .put("swap_batch_max_ms_during_swaps", swap.swapMaxMs())
                .put("swap_batch_p99_ms_baseline", swap.baselineP99Ms())
                .put("swap_batch_p99_ms_during_swaps", swap.swapP99Ms()).put("swaps", swap.swaps())
                .put("rss_mb_after_10_swaps", swap.rssAfter10Mb())
                .put("rss_mb_after_all_swaps", swap.rssAfterAllMb())
                .put("swap_first_batch_max_ms", swap.firstBatchMaxMs())
                .put("swap_first_batch_p50_ms", swap.firstBatchP50Ms())
                .put("swap_steady_batch_p50_ms", swap.steadyP50Ms())
                .put("swap_lease_max_ms", swap.leaseMaxMs());
        for (SwapBench.Memory memory : swap.curve()) {
            String at = "after_" + memory.swaps() + "_swaps";
            report.put("rss_mb_" + at, memory.rssMb()).put("heap_committed_mb_" + at, memory.heapCommittedMb())
                    .put("jvm_nmt_committed_mb_" + at, memory.jvmCommittedMb())
                    .put("outside_jvm_mb_" + at, memory.outsideJvmMb());
        }
        System.out.printf("first batch on a new version: wall max %.2f ms, p90 %.3f, median %.3f ms (other batches"
                + " median %.3f, p99 %.3f ms); CPU max %.3f ms, median %.3f ms (other batches median %.3f, p99 %.3f ms);"
                + " slowest lease %.3f ms%n", swap.firstBatchMaxMs(), swap.firstBatchP90Ms(), swap.firstBatchP50Ms(),
                swap.steadyP50Ms(), swap.steadyP99Ms(), swap.firstBatchCpuMaxMs(), swap.firstBatchCpuP50Ms(),
                swap.steadyCpuP50Ms(), swap.steadyCpuP99Ms(), swap.leaseMaxMs());
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
