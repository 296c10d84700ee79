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
            double rssAfter10Mb, double rssAfterAllMb, int swaps, double firstBatchMaxMs, double firstBatchP50Ms,
            double steadyP50Ms, double leaseMaxMs, java.util.List<Memory> curve, double firstBatchP90Ms,
            double firstBatchCpuMaxMs, double firstBatchCpuP50Ms, double steadyCpuP50Ms, double steadyCpuP99Ms,
            double steadyP99Ms) {
    }

    /**
     * Memory after {@code swaps} swaps (after a GC): resident set, the JVM's own committed memory (Java heap, and all
     * JVM areas when the JVM runs with -XX:NativeMemoryTracking=summary, else NaN), direct buffers, and the rest of
     * the resident set (ONNX Runtime's and other native libraries' malloc, when NMT is on).
     */
    record Memory(int swaps, double rssMb, double heapCommittedMb, double jvmCommittedMb, double directMb,
            double outsideJvmMb) {

        static Memory now(int swaps) {
            double rss = residentMb();
            double heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted()
                    / 1048576.0;
            double direct = java.lang.management.ManagementFactory
                    .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                    .filter(pool -> pool.getName().equals("direct")).mapToLong(
                            java.lang.management.BufferPoolMXBean::getMemoryUsed).sum() / 1048576.0;
            double jvm = nmtCommittedMb();
            return new Memory(swaps, rss, heap, jvm, direct, rss - jvm);
        }

        @Override
        public String toString() {
            return String.format("after %d swaps: RSS %.0f MB (heap committed %.0f, JVM committed %.0f, direct %.1f,"
                    + " outside the JVM %.0f)", swaps, rssMb, heapCommittedMb, jvmCommittedMb, directMb, outsideJvmMb);
        }
    }

    /** Native Memory Tracking's output for {@code command} (summary, baseline, summary.diff); empty when NMT is off. */
    static String nmt(String command) {
        try {
            javax.management.ObjectName name = new javax.management.ObjectName(
                    "com.sun.management:type=DiagnosticCommand");
            return (String) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(name,
                    "vmNativeMemory", new Object[] {new String[] {command, "scale=KB"}},
                    new String[] {String[].class.getName()});
        } catch (Exception e) {
            return "";
        }
    }

    /** The JVM's committed memory by Native Memory Tracking (NaN when NMT is off). */
    static double nmtCommittedMb() {
        try {
            String out = nmt("summary");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB")
                    .matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
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
                    Latencies firstBatches = new Latencies();
                    Latencies steadyBatches = new Latencies();
                    Latencies firstBatchesCpu = new Latencies();
                    Latencies steadyBatchesCpu = new Latencies();
                    AtomicLong leaseMax = new AtomicLong();
                    AtomicBoolean measuring = new AtomicBoolean();
                    java.util.concurrent.atomic.AtomicReference<Latencies> phase =
                            new java.util.concurrent.atomic.AtomicReference<>(baselineLatencies);
                    Thread scorer = new Thread(() -> score(catalog, name, k, maxNanos, phase, stop, firstBatches,
                            steadyBatches, leaseMax, firstBatchesCpu, steadyBatchesCpu, measuring), "bench-scorer");
                    scorer.start();
                    Thread.sleep(3000);
                    double baseline = maxNanos.getAndSet(0) / 1e6;
                    phase.set(swapLatencies);
                    java.util.List<Memory> curve = new java.util.ArrayList<>();
                    for (int s = 1; s <= swaps; s++) {
                        int version = versions[s % 2];
                        registry.activate(name, version, "bench swap " + s);
                        long before = catalog.swaps();
                        while (catalog.swaps() == before) {
                            Thread.sleep(2);
                        }
                        if (s == 1 || s % 10 == 0) {
                            Thread.sleep(200); // past the retire grace: the replaced version is closed
                            // The bench's own full GC stops every thread: batches it pauses are not timed.
                            measuring.set(true);
                            System.gc();
                            Memory memory = Memory.now(s);
                            Thread.sleep(20);
                            measuring.set(false);
                            if (s == 10) {
                                nmt("baseline");
                            }
                            curve.add(memory);
                            System.out.println("swap bench: " + memory);
                        }
                    }
                    Thread.sleep(300);
                    stop.set(true);
                    scorer.join();
                    double swapMax = maxNanos.get() / 1e6;
                    // Where the JVM's own memory went since swap 10 (the categories that changed).
                    for (String line : nmt("summary.diff").split("\n")) {
                        if (line.startsWith("-") && line.contains("committed") && line.matches(".*[+-]\\d+KB.*")) {
                            System.out.println("swap bench NMT since swap 10: " + line.trim());
                        }
                    }
                    double rss10 = curve.stream().filter(m -> m.swaps() == 10).mapToDouble(Memory::rssMb)
                            .findFirst().orElse(Double.NaN);
                    return new Result(baseline, swapMax, baselineLatencies.quantileMs(0.99),
                            swapLatencies.quantileMs(0.99), rss10, curve.get(curve.size() - 1).rssMb(), swaps,
                            firstBatches.quantileMs(1.0), firstBatches.quantileMs(0.5), steadyBatches.quantileMs(0.5),
                            leaseMax.get() / 1e6, curve, firstBatches.quantileMs(0.9), firstBatchesCpu.quantileMs(1.0),
                            firstBatchesCpu.quantileMs(0.5), steadyBatchesCpu.quantileMs(0.5),
                            steadyBatchesCpu.quantileMs(0.99), steadyBatches.quantileMs(0.99));
                }
            }
        }
    }

    /**
     * Scores 64-row batches until stopped. A batch that is the first on a newly swapped-in version is timed apart
     * from the others: if a swap makes anything wait (a cold session, a lease that spins), it shows there.
     */
    private static void score(RegistryModelCatalog catalog, String name, int k, AtomicLong maxNanos,
            java.util.concurrent.atomic.AtomicReference<Latencies> phase, AtomicBoolean stop, Latencies firstBatches,
            Latencies steadyBatches, AtomicLong leaseMax, Latencies firstBatchesCpu, Latencies steadyBatchesCpu,
            AtomicBoolean measuring) {
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
        int lastVersion = -1;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        while (!stop.get()) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            int version;
            try (ModelLease lease = catalog.lease(name).orElseThrow()) {
                if (!measuring.get()) {
                    leaseMax.accumulateAndGet(System.nanoTime() - start, Math::max);
                }
                version = lease.model().version();
                lease.model().density().logProb(x, c, rows);
            }
            long elapsed = System.nanoTime() - start;
            long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
            if (measuring.get()) {
                lastVersion = version;
                continue;
            }
            maxNanos.accumulateAndGet(elapsed, Math::max);
            phase.get().add(elapsed);
            if (lastVersion != -1) {
                (version != lastVersion ? firstBatches : steadyBatches).add(elapsed);
                (version != lastVersion ? firstBatchesCpu : steadyBatchesCpu).add(cpu);
            }
            lastVersion = version;
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
