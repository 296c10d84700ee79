package io.flowcast.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.bench.Benchmark;
import io.flowcast.contract.TopicNames;
import io.flowcast.trajectory.ChainLayout;
import io.flowcast.trajectory.ChainModelFiles;
import io.flowcast.trajectory.ChainPathForecaster;
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
 * <p>Configurations, run in alternation (BENCH_ROUNDS, default 3): the chain on every position (re-run budget 1);
 * the chain with the default rapid update (ESS under half, or the 4th position); the chain with ESS off and 12
 * steps (frames then split cleanly into model frames and re-weighted frames, the per-agent cost of each read off
 * separately); the constant-velocity model. Agents per frame: BENCH_AGENTS (default 1,8,64). CPU time of the calling
 * thread (ONNX Runtime runs on it) and wall time, per position.
 *
 * <p>Run: {@code ./mvnw -q -Pbench verify -Dbench=forecast-stage}; writes {@code target/bench/forecast-stage.json}.
 */
public final class ForecastStageBench implements Benchmark {

    private static final int FRAMES = 60;
    private static final int WARM_FRAMES = 12;
    private static final int SAMPLES = 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private record Config(String name, boolean chain, RapidUpdateConfig rapid) {
    }

    /** Per frame: the positions' kinds and the stage's cost. */
    private record Frame(int agents, int models, int reweighted, long cpuNanos, long wallNanos) {
    }

    @Override
    public void run(Path dataDir, Path outDir) throws Exception {
        int rounds = Integer.parseInt(System.getenv().getOrDefault("BENCH_ROUNDS", "3"));
        int[] agentCounts = Arrays.stream(System.getenv().getOrDefault("BENCH_AGENTS", "1,8,64").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        ChainLayout layout = ChainLayout.standard();
        Path modelDir = Files.createTempDirectory("forecast-stage-chain");
        ChainModelFiles.Chain exported = ChainModelFiles.write(modelDir, RandomChains.of(layout, 42),
                new ModelRef("bench.chain", 1), 0.4);
        List<Config> configs = List.of(
                new Config("chain-every-position", true, new RapidUpdateConfig(0.0, 1, 0.05)),
                new Config("chain-rapid-default", true, RapidUpdateConfig.defaults()),
                new Config("chain-rapid-12-steps", true, new RapidUpdateConfig(0.0, 12, 0.05)),
                new Config("constant-velocity", false, RapidUpdateConfig.defaults()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("load_average_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (ChainPathForecaster chain = ChainPathForecaster.open(exported)) {
            PathForecaster cv = new ConstantVelocityForecaster(ConstantVelocityGaussian.growing(12, 0.1),
                    new ModelRef("bench.cv", 1), 8, 0.4);
            for (int agents : agentCounts) {
                Map<String, List<Frame>> frames = new LinkedHashMap<>();
                Map<String, long[]> stateBytes = new HashMap<>();
                runConfigs(configs, chain, cv, agents, 1, new HashMap<>(), new HashMap<>()); // warm-up
                for (int round = 0; round < rounds; round++) {
                    runConfigs(configs, chain, cv, agents, 100 + round, frames, stateBytes);
                }
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
            long seed, Map<String, List<Frame>> frames, Map<String, long[]> stateBytes) {
        for (Config config : configs) {
            ForecastStage stage = new ForecastStage(config.chain() ? chain : cv, SAMPLES, 60_000, config.rapid());
            SerializingStore store = new SerializingStore();
            List<Frame> out = frames.computeIfAbsent(config.name(), k -> new ArrayList<>());
            List<List<PendingRecord>> walk = walk(agents, seed);
            for (int f = 0; f < walk.size(); f++) {
                long cpu = THREADS.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                List<ForecastStage.Published> published = stage.forecast(walk.get(f), store, 0L);
                wall = System.nanoTime() - wall;
                cpu = THREADS.getCurrentThreadCpuTime() - cpu;
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

    private static Map<String, Object> summary(List<Frame> frames, long[] stateBytes) {
        Map<String, Object> row = new LinkedHashMap<>();
        long positions = frames.stream().mapToLong(Frame::agents).sum();
        long models = frames.stream().mapToLong(Frame::models).sum();
        row.put("positions", positions);
        row.put("model_share", round(models / (double) positions));
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
