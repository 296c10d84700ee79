package io.flowcast.bench;

import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.onnx.FlowArtifact;
import io.flowcast.flow.onnx.FlowCost;
import io.flowcast.flow.onnx.FlowOnnxExporter;
import io.flowcast.flow.onnx.TestFlows;
import io.flowcast.flow.train.TrainedFlow;
import io.flowcast.serving.ExecutionProviderSelector;
import io.flowcast.serving.OnnxFlowSession;
import io.flowcast.serving.ProviderChoice;
import io.flowcast.serving.SessionSettings;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code flow} benchmark: log-density throughput of the served ONNX flow against batch size for (d=2, k=16) and
 * (d=8, k=32), 4 spline couplings, hidden width 64; the achieved dense-layer FLOP rate as a fraction of this
 * machine's ONNX Runtime SGEMM rate measured in the same run on the same threads; ONNX-vs-DJL parity; and the
 * training time for 100k records at (d=8, k=32).
 */
final class FlowBench implements Benchmark {

    private static final int[] BATCHES = {1, 16, 256, 4096};
    private static final int THREADS = 2;
    private static final int REPETITIONS = 7;
    private static final double SECONDS_PER_REPETITION = 0.4;
    private static final int SGEMM_SIZE = 1024;

    @Override
    public void run(Path dataDir, Path outDir) throws Exception {
        BenchReport report = new BenchReport("flow");
        report.put("threads", THREADS);
        report.put("available_processors", Runtime.getRuntime().availableProcessors());

        double sgemm = SgemmRate.gflops(SGEMM_SIZE, THREADS, 15);
        double sgemmOneThread = SgemmRate.gflops(SGEMM_SIZE, 1, 9);
        report.put("sgemm_gflops", sgemm);
        report.put("sgemm_gflops_1_thread", sgemmOneThread);
        System.out.printf("ONNX Runtime SGEMM %dx%dx%d: %.1f GFLOP/s on %d threads, %.1f on 1%n",
                SGEMM_SIZE, SGEMM_SIZE, SGEMM_SIZE, sgemm, THREADS, sgemmOneThread);

        double worstParity = 0;
        System.out.printf("%-10s %6s %12s %12s %12s %10s %10s%n", "model", "batch", "records/s", "per core",
                "per CPU-s", "GFLOP/s", "of SGEMM");
        for (int[] shape : new int[][] {{2, 16}, {8, 32}}) {
            FlowConfig config = FlowConfig.builder(shape[0], shape[1]).couplings(4).hiddenWidth(64).build();
            String tag = "d" + shape[0] + "_k" + shape[1];
            ConditionalFlow flow = new ConditionalFlow(config);
            FlowParameters parameters = TestFlows.randomParameters(flow, 2024);
            FlowArtifact artifact = new FlowOnnxExporter().export(flow, parameters, "bench-" + tag, "1", Map.of());
            long flopsPerRecord = FlowCost.matmulFlopsPerRecord(config);
            report.put("flops_per_record_" + tag, flopsPerRecord);
            try (OnnxFlowSession session = OnnxFlowSession.open(artifact,
                    new SessionSettings(THREADS, SessionSettings.DEFAULT_MAX_BATCH_ROWS),
                    new ExecutionProviderSelector(ProviderChoice.CPU))) {
                report.put("provider", session.providerInUse().name());
                for (int batch : BATCHES) {
                    Rate rate = throughput(session, config, batch);
                    double perSecond = rate.perWallSecond();
                    double gflops = perSecond * flopsPerRecord / 1e9;
                    String key = tag + "_b" + batch;
                    report.put("logprob_per_s_" + key, perSecond);
                    report.put("logprob_per_s_per_core_" + key, perSecond / THREADS);
                    report.put("logprob_per_cpu_s_" + key, rate.perCpuSecond());
                    report.put("gflops_" + key, gflops);
                    report.put("sgemm_fraction_" + key, gflops / sgemm);
                    System.out.printf("%-10s %6d %12.0f %12.0f %12.0f %10.2f %9.1f%%%n", tag, batch, perSecond,
                            perSecond / THREADS, rate.perCpuSecond(), gflops, 100 * gflops / sgemm);
                }
                double parity = parity(session, config, parameters);
                report.put("parity_max_rel_err_" + tag, parity);
                worstParity = Math.max(worstParity, parity);
            }
        }
        report.put("parity_max_rel_err", worstParity);
        System.out.printf("ONNX vs DJL log-density, max relative difference: %.2e%n", worstParity);

        double trainSeconds = trainSeconds();
        report.put("train_seconds_100k_d8_k32", trainSeconds);
        System.out.printf("training, 100k records, d=8 k=32, to early stopping: %.1f s%n", trainSeconds);
        report.write(outDir);
    }

    /**
     * Records per wall second and per CPU second of this process.
     *
     * @param perWallSecond median over the repetitions: what a caller sees
     * @param perCpuSecond  median records per second of CPU time the process used: what one core does when it is not
     *                      preempted, the stable figure on a shared machine
     */
    private record Rate(double perWallSecond, double perCpuSecond) {
    }

    /** Median rates over timed repetitions, after a warm-up that also sizes the repetitions. */
    private static Rate throughput(OnnxFlowSession session, FlowConfig config, int batch) {
        float[] x = TestFlows.randomRows(batch, config.dimension(), batch);
        float[] c = TestFlows.randomRows(batch, config.contextDimension(), batch + 1L);
        float[] out = new float[batch];
        long warmUpEnd = System.nanoTime() + 300_000_000L;
        int warmUpCalls = 0;
        long start = System.nanoTime();
        while (System.nanoTime() < warmUpEnd || warmUpCalls < 3) {
            session.logProb(x, c, batch, out);
            warmUpCalls++;
        }
        double secondsPerCall = (System.nanoTime() - start) / 1e9 / warmUpCalls;
        int calls = (int) Math.max(3, SECONDS_PER_REPETITION / secondsPerCall);
        double[] rates = new double[REPETITIONS];
        double[] cpuRates = new double[REPETITIONS];
        for (int r = 0; r < REPETITIONS; r++) {
            long cpuBegin = processCpuNanos();
            long begin = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                session.logProb(x, c, batch, out);
            }
            rates[r] = (double) calls * batch / ((System.nanoTime() - begin) / 1e9);
            cpuRates[r] = (double) calls * batch / ((processCpuNanos() - cpuBegin) / 1e9);
        }
        return new Rate(Stats.median(rates), Stats.median(cpuRates));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Max relative log-density difference, served ONNX against the DJL model, on fresh random inputs. */
    private static double parity(OnnxFlowSession session, FlowConfig config, FlowParameters parameters) {
        int batch = 4096;
        long seed = System.nanoTime();
        float[] x = TestFlows.randomRows(batch, config.dimension(), seed);
        float[] c = TestFlows.randomRows(batch, config.contextDimension(), seed + 1);
        try (TrainedFlow djl = new TrainedFlow(config, parameters)) {
            return TestFlows.maxRelativeError(session.logProb(x, c, batch), djl.logProb(x, c, batch));
        }
    }

    /**
     * Wall seconds to train on 100k records at (d=8, k=32) until early stopping, from the training benchmark
     * (flow.train's side); NaN (null in the JSON) while that benchmark is not part of the build.
     */
    private static double trainSeconds() throws Exception {
        try {
            Class<?> training = Class.forName("io.flowcast.bench.FlowTrainingBench");
            return ((Number) training.getMethod("secondsToTrain100kD8K32").invoke(null)).doubleValue();
        } catch (ClassNotFoundException e) {
            System.out.println("FlowTrainingBench is not in this build: train_seconds_100k_d8_k32 left empty");
            return Double.NaN;
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
