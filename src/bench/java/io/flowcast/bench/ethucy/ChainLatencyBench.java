package io.flowcast.bench.ethucy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowcast.bench.Benchmark;
import io.flowcast.trajectory.ChainGraphs;
import io.flowcast.trajectory.ChainLayout;
import io.flowcast.trajectory.FlowChain;
import io.flowcast.trajectory.FlowChainForecaster;
import io.flowcast.trajectory.ForecastBatch;
import io.flowcast.trajectory.OnnxChainSession;
import io.flowcast.trajectory.RandomChains;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Forecast latency of the served chain without training: an untrained chain (random parameters,
 * {@code RandomChains}) exported as the generic forecast graph and as the sampling graph, both timed in the same
 * run, alternating, as CPU time of the calling thread per call (one call per frame: 20 samples + the zero-code path
 * per agent, read-out included) at 1, 3, 6 and 26 agents per call (eth's, zara's and univ's agents per frame).
 * LATENCY_ROUNDS (default 5) alternations, the median reported; LATENCY_PROFILE_AGENTS=n also writes an ONNX
 * Runtime profile of both graphs at n agents and prints its kernel time by op type.
 */
public final class ChainLatencyBench implements Benchmark {

    @Override
    public void run(Path dataDir, Path outDir) throws Exception {
        ChainLayout layout = ChainLayout.standard();
        FlowChain chain = RandomChains.of(layout, 5);
        ChainGraphs.Models lean = new ChainGraphs(chain).export("latency", "1");
        ChainGraphs.Models generic = new ChainGraphs(chain).exportGeneric("latency", "1");
        System.out.printf("forecast graph nodes: generic %d, sampling %d%n", generic.forecastNodes(),
                lean.forecastNodes());
        String profileAgents = System.getenv("LATENCY_PROFILE_AGENTS");
        if (profileAgents != null) {
            profile(generic, Integer.parseInt(profileAgents), outDir);
            profile(lean, Integer.parseInt(profileAgents), outDir);
        }
        int rounds = Integer.parseInt(System.getenv().getOrDefault("LATENCY_ROUNDS", "5"));
        try (FlowChainForecaster a = new FlowChainForecaster(layout, OnnxChainSession.open(generic), 20);
                FlowChainForecaster b = new FlowChainForecaster(layout, OnnxChainSession.open(lean), 20)) {
            for (int agents : new int[] {1, 3, 6, 26}) {
                List<float[]> histories = RandomChains.histories(agents, 3);
                double[] ta = new double[rounds];
                double[] tb = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ta[r] = time(a, histories);
                    tb[r] = time(b, histories);
                }
                Arrays.sort(ta);
                Arrays.sort(tb);
                System.out.printf("agents %2d: CPU per call generic %6.0f us (%5.0f per agent), sampling %6.0f us"
                        + " (%5.0f per agent)%n", agents, ta[rounds / 2], ta[rounds / 2] / agents, tb[rounds / 2],
                        tb[rounds / 2] / agents);
            }
        }
    }

    /** Median CPU time of a forecast call (read-out included) over 30 calls after 5 untimed ones. */
    static double time(FlowChainForecaster forecaster, List<float[]> histories) {
        double[] cpu = new double[30];
        for (int i = -5; i < cpu.length; i++) {
            Stopwatch watch = new Stopwatch();
            ForecastBatch batch = forecaster.forecast(histories, i);
            for (int a = 0; a < histories.size(); a++) {
                batch.forecast(a);
            }
            if (i >= 0) {
                cpu[i] = watch.cpuNanos() / 1e3;
            }
        }
        Arrays.sort(cpu);
        return cpu[cpu.length / 2];
    }

    static void profile(ChainGraphs.Models models, int agents, Path outDir) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Files.createDirectories(outDir);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.enableProfiling(outDir.resolve("chain-profile").toString());
            try (OrtSession session = env.createSession(models.forecast(), options)) {
                int rows = agents * 21;
                int h2 = 2 * models.horizons();
                long[] agentOfRow = new long[rows];
                for (int r = 0; r < rows; r++) {
                    agentOfRow[r] = r / 21;
                }
                int trendRows = models.forecastPerAgent() ? agents : rows;
                SplittableRandom random = new SplittableRandom(1);
                float[] trend = new float[trendRows * models.featureWidth()];
                float[] start = new float[rows * 4];
                float[] noise = new float[rows * h2];
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = (float) random.nextGaussian();
                }
                for (int r = 0; r < rows; r++) {
                    start[4 * r] = -0.5f;
                }
                for (int call = 0; call < 30; call++) {
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(trend),
                            new long[] {trendRows, models.featureWidth()});
                            OnnxTensor s = OnnxTensor.createTensor(env, FloatBuffer.wrap(start), new long[] {rows, 4});
                            OnnxTensor n = OnnxTensor.createTensor(env, FloatBuffer.wrap(noise), new long[] {rows, h2});
                            OnnxTensor ag = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(agentOfRow),
                                    new long[] {rows})) {
                        Map<String, OnnxTensor> inputs = models.forecastPerAgent()
                                ? Map.of("trend", t, "start", s, "noise", n, "agent", ag)
                                : Map.of("trend", t, "start", s, "noise", n);
                        try (OrtSession.Result result = session.run(inputs)) {
                            result.get(0);
                        }
                    }
                }
                String file = session.endProfiling();
                summarise(Path.of(file));
            }
        }
    }

    /** Per op type: node count and the sum of the nodes' median kernel times (robust to a loaded machine). */
    static void summarise(Path file) throws Exception {
        JsonNode events = new ObjectMapper().readTree(file.toFile());
        Map<String, List<Double>> byNode = new TreeMap<>();
        Map<String, String> opOf = new TreeMap<>();
        for (JsonNode event : events) {
            String name = event.path("name").asText();
            if (event.path("cat").asText().equals("Node") && name.endsWith("_kernel_time")) {
                byNode.computeIfAbsent(name, k -> new ArrayList<>()).add(event.path("dur").asDouble());
                opOf.put(name, event.path("args").path("op_name").asText());
            }
        }
        Map<String, double[]> byOp = new TreeMap<>();
        double total = 0;
        for (Map.Entry<String, List<Double>> e : byNode.entrySet()) {
            List<Double> times = new ArrayList<>(e.getValue());
            times.sort(Double::compare);
            double median = times.get(times.size() / 2);
            double[] agg = byOp.computeIfAbsent(opOf.get(e.getKey()), k -> new double[2]);
            agg[0]++;
            agg[1] += median;
            total += median;
        }
        System.out.printf("profile: %d nodes, sum of per-node median kernel times %.0f us%n", byNode.size(), total);
        byOp.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1]))
                .forEach(e -> System.out.printf("  %-16s %5.0f nodes %8.1f us %6.2f us/node%n", e.getKey(),
                        e.getValue()[0], e.getValue()[1], e.getValue()[1] / e.getValue()[0]));
    }
}
