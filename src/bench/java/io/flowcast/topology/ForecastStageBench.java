package io.flowcast.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.bench.Benchmark;
import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.demo.DemoChain;
import io.flowcast.embedded.demo.SocialForceCrowd;
import io.flowcast.trajectory.FlowChain;
import io.flowcast.trajectory.ChainLayout;
import io.flowcast.trajectory.ChainModelFiles;
import io.flowcast.trajectory.ChainBackend;
import io.flowcast.trajectory.ChainPathForecaster;
import io.flowcast.trajectory.FlowChainForecaster;
import io.flowcast.trajectory.OnnxChainSession;
import io.flowcast.trajectory.ConstantVelocityForecaster;
import io.flowcast.trajectory.ConstantVelocityGaussian;
import io.flowcast.trajectory.PathForecaster;
import io.flowcast.trajectory.RandomChains;
import io.flowcast.trajectory.RapidUpdateConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The topology's forecast stage per position, model run against rapid update: {@link ForecastStage} driven as the
 * scoring processor drives it (one call per micro-batch, here one per frame holding every agent's next position),
 * the flow chain of the ETH/UCY layout (8 observed, 12 horizons, the trainer's default flows: the served graphs'
 * size; the parameters are random, which does not change the cost) exported to files and served by ONNX Runtime.
 * Each track write goes through {@link TrackStateSerde} (what a commit sends to the changelog).
 *
 * <p>The chain: trained on the demo crowd ({@link DemoChain}, 1 s per flow; BENCH_CHAIN=random: untrained, same
 * cost). Configurations, run in alternation (BENCH_ROUNDS, default 3), on two position feeds:
 * <ul>
 *   <li>independent walkers that all start together: the chain on every position (re-run budget 1); the chain with
 *       ESS off and 12 steps, so that frames split cleanly into model frames and re-weighted frames and the cost
 *       per agent of each is read off separately; the constant-velocity model;</li>
 *   <li>the demo's social-force crowd: the chain on every position, the chain with the default rapid update (ESS
 *       under half the samples, or the 4th position), constant velocity: the share of model runs the ESS rule
 *       leaves on realistic walks, and the mean cost per position.</li>
 * </ul>
 * Agents per frame: BENCH_AGENTS (default 1,8,64); BENCH_CONFIGS: a subset of the configurations by name. CPU time
 * of the calling thread (ONNX Runtime runs on it) and wall time, per position. Also per agent count: a model round's
 * calls one by one ({@code chain_calls_agentsN}: the forecast, the same runtime call alone, the exact score through
 * the step's cut of the path graph and through the whole path graph) and, for the crowd's chain configurations, how
 * the re-weighted records' kernel scores agree with the exact scores of the same positions
 * ({@code score_calibration_agentsN}, {@link ScoreCalibration}, {@link Estimators}; computed untimed).
 *
 * <p>Run: {@code ./mvnw -q -Pbench verify -Dbench=forecast-stage}; writes {@code target/bench/forecast-stage.json}.
 */
public final class ForecastStageBench implements Benchmark {

    private static final int FRAMES = 60;
    private static final int WARM_FRAMES = 12;
    private static final int SAMPLES = 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** @param crowd walk the demo crowd (else independent walkers that all start together) */
    private record Config(String name, boolean chain, RapidUpdateConfig rapid, boolean crowd, boolean exact) {

        Config(String name, boolean chain, RapidUpdateConfig rapid, boolean crowd) {
            this(name, chain, rapid, crowd, true);
        }
    }

    /** Per frame: the positions' kinds and the stage's cost. */
    private record Frame(int agents, int models, int reweighted, long cpuNanos, long wallNanos) {
    }

    /** One configuration's run over a feed: the feed and what the stage published per frame (score calibration). */
    record Run(List<List<PendingRecord>> walk, List<List<ForecastStage.Published>> published) {
    }

    @Override
    public void run(Path dataDir, Path outDir) throws Exception {
        int rounds = Integer.parseInt(System.getenv().getOrDefault("BENCH_ROUNDS", "3"));
        int[] agentCounts = Arrays.stream(System.getenv().getOrDefault("BENCH_AGENTS", "1,8,64").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        // BENCH_CONFIGS: a comma-separated subset of the configurations below (default all).
        List<String> only = Arrays.stream(System.getenv().getOrDefault("BENCH_CONFIGS", "").split(","))
                .map(String::trim).filter(name -> !name.isEmpty()).toList();
        ChainLayout layout = ChainLayout.standard();
        Path modelDir = Files.createTempDirectory("forecast-stage-chain");
        boolean trained = !System.getenv().getOrDefault("BENCH_CHAIN", "trained").equals("random");
        long trainStart = System.nanoTime();
        FlowChain flowChain = trained ? DemoChain.train(DemoChain.windows(1_042, 10, 600), 1.0, 4000, line -> { })
                : RandomChains.of(layout, 42);
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        ChainModelFiles.Chain exported = ChainModelFiles.write(modelDir, flowChain, new ModelRef("bench.chain", 1),
                0.4);
        List<Config> configs = List.of(
                new Config("chain-every-position", true, new RapidUpdateConfig(0.0, 1, 0.05), false),
                new Config("chain-rapid-12-steps", true, new RapidUpdateConfig(0.0, 12, 0.05), false),
                new Config("constant-velocity", false, RapidUpdateConfig.defaults(), false),
                new Config("crowd-chain-every-position", true, new RapidUpdateConfig(0.0, 1, 0.05), true),
                new Config("crowd-chain-rapid-default", true, RapidUpdateConfig.defaults(), true),
                new Config("crowd-chain-rapid-ess-0.2", true, new RapidUpdateConfig(0.2, 4, 0.05), true),
                new Config("crowd-chain-rapid-ess-0.2-kernel-scores", true, new RapidUpdateConfig(0.2, 4, 0.05), true,
                        false),
                new Config("crowd-constant-velocity", false, RapidUpdateConfig.defaults(), true))
                .stream().filter(c -> only.isEmpty() || only.contains(c.name())).toList();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("chain", trained ? "trained on the demo crowd (DemoChain, 1 s per flow)" : "random (untrained)");
        json.put("chain_train_seconds", round(trainSeconds));
        json.put("load_average_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (ChainPathForecaster chain = ChainPathForecaster.open(exported);
                FlowChainForecaster whole = new FlowChainForecaster(exported.layout(),
                        OnnxChainSession.open(exported.models()), SAMPLES)) {
            PathForecaster cv = new ConstantVelocityForecaster(ConstantVelocityGaussian.growing(12, 0.1),
                    new ModelRef("bench.cv", 1), 8, 0.4);
            for (int agents : agentCounts) {
                Map<String, List<Frame>> frames = new LinkedHashMap<>();
                Map<String, long[]> stateBytes = new HashMap<>();
                Map<String, Run> runs = new LinkedHashMap<>();
                runConfigs(configs, chain, cv, agents, 1, new HashMap<>(), new HashMap<>(), null); // warm-up
                for (int round = 0; round < rounds; round++) {
                    runConfigs(configs, chain, cv, agents, 100 + round, frames, stateBytes, round == 0 ? runs : null);
                }
                Map<String, Object> calibration = ScoreCalibration.of(runs, chain);
                json.put("score_calibration_agents" + agents, calibration);
                System.out.printf("score calibration, %3d agents: %s%n", agents, calibration);
                Map<String, Object> parts = components(chain, whole, agents);
                json.put("chain_calls_agents" + agents, parts);
                System.out.printf("chain calls, %3d agents: %s%n", agents, parts);
                for (Config config : configs) {
                    Map<String, Object> row = summary(frames.get(config.name()), stateBytes.get(config.name()));
                    json.put(config.name() + "_agents" + agents, row);
                    System.out.printf("%-22s %3d agents/frame: %s%n", config.name(), agents, row);
                }
            }
        }
        json.put("load_average_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Files.createDirectories(outDir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(outDir.resolve("forecast-stage.json").toFile(), json);
        System.out.println("wrote " + outDir.resolve("forecast-stage.json") + ", load average "
                + json.get("load_average_start") + " -> " + json.get("load_average_end"));
    }

    private static void runConfigs(List<Config> configs, PathForecaster chain, PathForecaster cv, int agents,
            long seed, Map<String, List<Frame>> frames, Map<String, long[]> stateBytes, Map<String, Run> runs) {
        for (Config config : configs) {
            ForecastStage stage = new ForecastStage(config.chain() ? chain : cv, SAMPLES, 60_000, config.rapid(),
                    config.exact());
            SerializingStore store = new SerializingStore();
            List<Frame> out = frames.computeIfAbsent(config.name(), k -> new ArrayList<>());
            List<List<PendingRecord>> walk = config.crowd() ? crowd(agents, seed) : walk(agents, seed);
            List<List<ForecastStage.Published>> kept = new ArrayList<>();
            if (runs != null && config.chain() && config.crowd()) {
                runs.put(config.name(), new Run(walk, kept));
            }
            for (int f = 0; f < walk.size(); f++) {
                long cpu = THREADS.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                List<ForecastStage.Published> published = stage.forecast(walk.get(f), store, 0L);
                wall = System.nanoTime() - wall;
                cpu = THREADS.getCurrentThreadCpuTime() - cpu;
                kept.add(published);
                if (f >= WARM_FRAMES) {
                    int models = (int) published.stream().filter(p -> p.forecast().update().equals("MODEL")).count();
                    out.add(new Frame(agents, models, published.size() - models, cpu, wall));
                }
            }
            long[] bytes = stateBytes.computeIfAbsent(config.name(), k -> new long[2]);
            bytes[0] += store.bytes;
            bytes[1] += store.writes;
        }
    }

    /** Agents walking at 0.8-1.6 m/s with a slowly turning heading; one frame per 0.4 s, every agent in it. */
    private static List<List<PendingRecord>> walk(int agents, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] state = new double[agents][4];
        for (double[] s : state) {
            s[0] = 20 * random.nextDouble();
            s[1] = 20 * random.nextDouble();
            s[2] = 2 * Math.PI * random.nextDouble();
            s[3] = 0.4 * (0.8 + 0.8 * random.nextDouble());
        }
        List<List<PendingRecord>> frames = new ArrayList<>();
        long offset = 0;
        for (int f = 0; f < FRAMES; f++) {
            List<PendingRecord> frame = new ArrayList<>(agents);
            long time = 1_700_000_000_000L + 400L * f;
            for (int a = 0; a < agents; a++) {
                double[] s = state[a];
                s[2] += 0.15 * random.nextGaussian();
                s[0] += s[3] * Math.cos(s[2]) + 0.03 * random.nextGaussian();
                s[1] += s[3] * Math.sin(s[2]) + 0.03 * random.nextGaussian();
                Observation o = new Observation("agent-" + a, time, "pedestrians", Map.of("x", s[0], "y", s[1]),
                        Map.of());
                frame.add(new PendingRecord(new SourceRef(TopicNames.TRAJECTORIES, 0, offset++), time, new byte[0],
                        new byte[0], o, null));
            }
            frames.add(frame);
        }
        return frames;
    }

    /**
     * What a model round costs, call by call, for {@code agents} agents: the forecast (sampling graph; and the same
     * runtime call alone, without the Java around it) and the exact score of the positions at step 1 (teacher
     * forcing), through the step's cut of the path graph as served and through the whole path graph as before;
     * median CPU over 15 alternations after 3 untimed.
     */
    private static Map<String, Object> components(PathForecaster chain, FlowChainForecaster whole, int agents) {
        List<List<PendingRecord>> frames = walk(agents, 7);
        List<float[]> histories = new ArrayList<>();
        List<float[]> since = new ArrayList<>();
        List<float[]> futures = new ArrayList<>();
        int horizons = chain.horizons();
        for (int a = 0; a < agents; a++) {
            float[] history = new float[16];
            for (int t = 0; t < 8; t++) {
                Observation o = frames.get(t).get(a).observation();
                history[2 * t] = o.features().get("x").floatValue();
                history[2 * t + 1] = o.features().get("y").floatValue();
            }
            float[] future = new float[2 * horizons];
            for (int h = 0; h < horizons; h++) {
                Observation o = frames.get(8 + h).get(a).observation();
                future[2 * h] = o.features().get("x").floatValue();
                future[2 * h + 1] = o.features().get("y").floatValue();
            }
            histories.add(history);
            since.add(Arrays.copyOf(future, 2));
            futures.add(future);
        }
        long[] seeds = new long[agents];
        int rows = agents * (SAMPLES + 1);
        int f = whole.layout().featureWidth();
        SplittableRandom random = new SplittableRandom(agents);
        float[] trend = new float[agents * f];
        float[] start = new float[rows * 4];
        float[] noise = new float[rows * 2 * horizons];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < trend.length; i++) {
            trend[i] = (float) random.nextGaussian();
        }
        ChainBackend backend = whole.backend();
        double[][] cpu = new double[4][15];
        for (int i = -3; i < 15; i++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            chain.forecast(histories, seeds, SAMPLES);
            long t1 = THREADS.getCurrentThreadCpuTime();
            backend.sampleAgents(trend, agents, SAMPLES + 1, start, noise, new float[rows * 2 * horizons],
                    new float[rows * horizons]);
            long t2 = THREADS.getCurrentThreadCpuTime();
            chain.nextLogDensities(histories, since);
            long t3 = THREADS.getCurrentThreadCpuTime();
            whole.stepLogDensities(histories, futures);
            long t4 = THREADS.getCurrentThreadCpuTime();
            if (i >= 0) {
                cpu[0][i] = (t1 - t0) / 1e3;
                cpu[1][i] = (t2 - t1) / 1e3;
                cpu[2][i] = (t3 - t2) / 1e3;
                cpu[3][i] = (t4 - t3) / 1e3;
            }
        }
        for (double[] values : cpu) {
            Arrays.sort(values);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("forecast_cpu_us_per_call", round(cpu[0][7]));
        row.put("forecast_runtime_call_only_cpu_us", round(cpu[1][7]));
        row.put("exact_score_cpu_us_per_call", round(cpu[2][7]));
        row.put("exact_score_whole_path_graph_cpu_us_per_call", round(cpu[3][7]));
        return row;
    }

    /** The demo's social-force crowd: agents that arrive are replaced by new ones (new tracks). */
    private static List<List<PendingRecord>> crowd(int agents, long seed) {
        SocialForceCrowd crowd = new SocialForceCrowd(SocialForceCrowd.Parameters.defaults(agents), seed);
        List<List<PendingRecord>> frames = new ArrayList<>();
        long offset = 0;
        for (int f = 0; f < FRAMES; f++) {
            long time = 1_700_000_000_000L + 400L * f;
            List<PendingRecord> frame = new ArrayList<>(agents);
            for (SocialForceCrowd.AgentState agent : crowd.step(0.4)) {
                Observation o = new Observation(agent.id(), time, "pedestrians", Map.of("x", agent.x(), "y",
                        agent.y()), Map.of());
                frame.add(new PendingRecord(new SourceRef(TopicNames.TRAJECTORIES, 0, offset++), time, new byte[0],
                        new byte[0], o, null));
            }
            frames.add(frame);
        }
        return frames;
    }

    private static Map<String, Object> summary(List<Frame> frames, long[] stateBytes) {
        Map<String, Object> row = new LinkedHashMap<>();
        long positions = frames.stream().mapToLong(Frame::agents).sum();
        long models = frames.stream().mapToLong(Frame::models).sum();
        long published = frames.stream().mapToLong(f -> f.models() + f.reweighted()).sum();
        row.put("positions", positions);
        row.put("forecasts", published);
        row.put("model_share_of_forecasts", round(models / (double) Math.max(published, 1)));
        row.put("cpu_us_per_position", round(frames.stream().mapToLong(Frame::cpuNanos).sum() / 1e3 / positions));
        row.put("wall_us_per_position", round(frames.stream().mapToLong(Frame::wallNanos).sum() / 1e3 / positions));
        List<Frame> modelFrames = frames.stream().filter(f -> f.reweighted() == 0 && f.models() > 0).toList();
        List<Frame> rapidFrames = frames.stream().filter(f -> f.models() == 0 && f.reweighted() > 0).toList();
        if (!modelFrames.isEmpty()) {
            row.put("model_frame_cpu_us_per_agent_median", round(median(modelFrames, true)));
            row.put("model_frame_wall_us_per_agent_median", round(median(modelFrames, false)));
        }
        if (!rapidFrames.isEmpty()) {
            row.put("rapid_frame_cpu_us_per_agent_median", round(median(rapidFrames, true)));
            row.put("rapid_frame_wall_us_per_agent_median", round(median(rapidFrames, false)));
            row.put("rapid_frame_wall_us_per_agent_p99", round(percentile(rapidFrames, 0.99)));
        }
        row.put("state_bytes_per_write", stateBytes[1] == 0 ? 0 : stateBytes[0] / stateBytes[1]);
        return row;
    }

    private static double median(List<Frame> frames, boolean cpu) {
        double[] values = frames.stream().mapToDouble(f -> (cpu ? f.cpuNanos() : f.wallNanos()) / 1e3 / f.agents())
                .sorted().toArray();
        return values[values.length / 2];
    }

    private static double percentile(List<Frame> frames, double q) {
        double[] values = frames.stream().mapToDouble(f -> f.wallNanos() / 1e3 / f.agents()).sorted().toArray();
        return values[Math.min(values.length - 1, (int) Math.ceil(q * values.length) - 1)];
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** A map standing in for the cached RocksDB store; every write is serialized as the changelog would be. */
    private static final class SerializingStore implements KeyValueStore<String, TrackState> {
        private final Map<String, TrackState> values = new HashMap<>();
        private final TrackStateSerde serde = new TrackStateSerde();
        long bytes;
        long writes;

        @Override
        public void put(String key, TrackState value) {
            byte[] serialized = serde.serializer().serialize("bench", value);
            bytes += serialized.length;
            writes++;
            values.put(key, value);
        }

        @Override
        public TrackState get(String key) {
            return values.get(key);
        }

        @Override
        public TrackState putIfAbsent(String key, TrackState value) {
            TrackState old = values.get(key);
            if (old == null) {
                put(key, value);
            }
            return old;
        }

        @Override
        public void putAll(List<KeyValue<String, TrackState>> entries) {
            entries.forEach(e -> put(e.key, e.value));
        }

        @Override
        public TrackState delete(String key) {
            return values.remove(key);
        }

        @Override
        public KeyValueIterator<String, TrackState> range(String from, String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeyValueIterator<String, TrackState> all() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long approximateNumEntries() {
            return values.size();
        }

        @Override
        public String name() {
            return "bench-tracks";
        }

        @Override
        public void init(StateStoreContext context, StateStore root) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public boolean persistent() {
            return false;
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }
}
