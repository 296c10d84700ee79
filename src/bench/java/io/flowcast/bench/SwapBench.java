package io.flowcast.bench;

import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.EmbeddedKafkaBroker;
import io.flowcast.embedded.TopicProvisioner;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.train.IidObjective;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.flow.train.TrainingData;
import io.flowcast.registry.ModelRegistry;
import io.flowcast.registry.ModelVersion;
import io.flowcast.retrain.Candidate;
import io.flowcast.retrain.CandidateTrainer;
import io.flowcast.retrain.FlowShape;
import io.flowcast.retrain.ModelSpec;
import io.flowcast.serving.ExecutionProviderSelector;
import io.flowcast.serving.ModelLease;
import io.flowcast.serving.ProviderChoice;
import io.flowcast.serving.RegistryModelCatalog;
import io.flowcast.serving.SessionSettings;
import io.flowcast.serving.StreamProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hot swap under load, through the real path (in-JVM broker, registry topic, catalog): a thread scores batches
 * continuously while two versions are activated in turn {@code swaps} times. Reports the slowest batch before and
 * during the swaps (the stall a swap causes) and the process's resident memory after the first and the last swaps
 * (native sessions of replaced versions must be freed).
 */
final class SwapBench {

    record Result(double baselineMaxMs, double swapMaxMs, double baselineP99Ms, double swapP99Ms,
            double rssAfter10Mb, double rssAfterAllMb, int swaps) {
    }

    /** Batch latencies of one phase (the scorer thread writes, the bench reads after a phase switch). */
    static final class Latencies {
        private final java.util.List<Long> nanos = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        void add(long value) {
            nanos.add(value);
        }

        double quantileMs(double q) {
            long[] sorted;
            synchronized (nanos) {
                sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            return sorted.length == 0 ? Double.NaN
                    : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
        }
    }

    private SwapBench() {
    }

    static Result run(int swaps) throws Exception {
        Path root = Files.createTempDirectory("flowcast-swap-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(root.resolve("kafka"), 0, Map.of())) {
            TopicProvisioner.ensureTopics(broker.bootstrapServers(), 1, (short) 1);
            String name = "swap-bench";
            ContextSpec context = new ContextSpec(2, false);
            StreamProfile profile = new StreamProfile(name, List.of("a", "b"), context, 0.01);
            int k = context.dimension(2);
            try (ModelRegistry registry = new ModelRegistry(broker.bootstrapServers(), TopicNames.MODELS, null,
                    512 * 1024)) {
                registry.awaitCaughtUp(Duration.ofSeconds(60));
                int[] versions = new int[2];
                for (int i = 0; i < 2; i++) {
                    Candidate candidate = candidate(registry, name, k, i);
                    versions[i] = registry.publish(candidate.draft(), candidate.artifactBytes()).version();
                    while (registry.manifest(name, versions[i]).isEmpty()) {
                        Thread.sleep(10);
                    }
                }
                try (RegistryModelCatalog catalog = new RegistryModelCatalog(List.of(profile), registry,
                        SessionSettings.defaults(), new ExecutionProviderSelector(ProviderChoice.CPU), 10, 10, 1e-3,
                        null, Duration.ofMillis(50))) {
                    registry.activate(name, versions[0], "bench");
                    while (catalog.current(name).isEmpty()) {
                        Thread.sleep(10);
                    }
                    AtomicLong maxNanos = new AtomicLong();
                    AtomicBoolean stop = new AtomicBoolean();
                    Latencies baselineLatencies = new Latencies();
                    Latencies swapLatencies = new Latencies();
                    java.util.concurrent.atomic.AtomicReference<Latencies> phase =
                            new java.util.concurrent.atomic.AtomicReference<>(baselineLatencies);
                    Thread scorer = new Thread(() -> score(catalog, name, k, maxNanos, phase, stop), "bench-scorer");
                    scorer.start();
                    Thread.sleep(3000);
                    double baseline = maxNanos.getAndSet(0) / 1e6;
                    phase.set(swapLatencies);
                    double rss10 = 0;
                    for (int s = 1; s <= swaps; s++) {
                        int version = versions[s % 2];
                        registry.activate(name, version, "bench swap " + s);
                        long before = catalog.swaps();
                        while (catalog.swaps() == before) {
                            Thread.sleep(2);
                        }
                        if (s == 10) {
                            Thread.sleep(200);
                            System.gc();
                            rss10 = residentMb();
                        }
                    }
                    Thread.sleep(300);
                    stop.set(true);
                    scorer.join();
                    System.gc();
                    Thread.sleep(200);
                    double swapMax = maxNanos.get() / 1e6;
                    return new Result(baseline, swapMax, baselineLatencies.quantileMs(0.99),
                            swapLatencies.quantileMs(0.99), rss10, residentMb(), swaps);
                }
            }
        }
    }

    private static void score(RegistryModelCatalog catalog, String name, int k, AtomicLong maxNanos,
            java.util.concurrent.atomic.AtomicReference<Latencies> phase, AtomicBoolean stop) {
        int rows = 64;
        SplittableRandom random = new SplittableRandom(3);
        float[] x = new float[rows * 2];
        float[] c = new float[rows * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) random.nextGaussian();
        }
        while (!stop.get()) {
            long start = System.nanoTime();
            try (ModelLease lease = catalog.lease(name).orElseThrow()) {
                lease.model().density().logProb(x, c, rows);
            }
            long elapsed = System.nanoTime() - start;
            maxNanos.accumulateAndGet(elapsed, Math::max);
            phase.get().add(elapsed);
        }
    }

    private static Candidate candidate(ModelRegistry registry, String name, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 600;
        float[] x = new float[n * 2];
        float[] c = new float[n * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) random.nextGaussian();
        }
        List<String> features = List.of("a", "b");
        TrainerConfig quick = TrainerConfig.builder().batchSize(128).maxEpochs(2).warmupSteps(2).build();
        ModelSpec spec = new ModelSpec(name, registry.nextVersion(name), null, features, new ContextSpec(2, false), 0,
                0);
        return new CandidateTrainer(quick).train(spec, FlowShape.small().config(features, k), new IidObjective(),
                TrainingData.iid(2, k, java.util.Arrays.copyOf(x, 1000), java.util.Arrays.copyOf(c, 500 * k)),
                java.util.Arrays.copyOfRange(x, 1000, 1200), java.util.Arrays.copyOfRange(c, 500 * k, 600 * k), 100);
    }

    /** VmRSS of this process in MB (NaN where /proc is not there). */
    static double residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (Exception e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
