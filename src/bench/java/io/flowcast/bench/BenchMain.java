package io.flowcast.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Runs benchmarks by name: {@code BenchMain <name|all> <dataDir> <outDir>} (the {@code bench} Maven profile calls
 * it). Register a new benchmark with one line in {@link #REGISTRY}.
 */
public final class BenchMain {

    private static final Map<String, Supplier<Benchmark>> REGISTRY = new TreeMap<>(Map.of(
            "contract", ContractBench::new,
            "flow", FlowBench::new,
            "nab", io.flowcast.bench.nab.NabBenchmark::new,
            "eth-ucy", io.flowcast.bench.ethucy.EthUcyBench::new,
            "chain-latency", io.flowcast.bench.ethucy.ChainLatencyBench::new,
            "forecast-stage", io.flowcast.topology.ForecastStageBench::new,
            "retrain", RetrainBench::new,
            "topology", TopologyBench::new,
            "entity-state", io.flowcast.topology.EntityStateBench::new));

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: BenchMain <name|all> <dataDir> <outDir>; known: " + REGISTRY.keySet());
            System.exit(1);
        }
        String name = args[0];
        Path dataDir = Path.of(args[1]);
        Path outDir = Path.of(args[2]);
        if (name.equals("all")) {
            for (Map.Entry<String, Supplier<Benchmark>> entry : REGISTRY.entrySet()) {
                System.out.println("== benchmark " + entry.getKey());
                entry.getValue().get().run(dataDir, outDir);
            }
        } else if (REGISTRY.containsKey(name)) {
            REGISTRY.get(name).get().run(dataDir, outDir);
        } else {
            System.err.println("unknown benchmark '" + name + "'; known: " + REGISTRY.keySet() + " (or all)");
            System.exit(1);
        }
        // ONNX Runtime and DJL keep non-daemon native threads alive; the figures are written, so end here.
        System.exit(0);
    }
}
