package io.flowcast.bench;

import com.amazon.randomcutforest.parkservices.ThresholdedRandomCutForest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;

/**
 * End-to-end throughput and latency of the scoring topology through a real broker, on this machine, producer and
 * service in one JVM: {@code ./mvnw -q -Pbench verify -Dbench=topology}.
 * <ul>
 *   <li>Warm-up: an unmeasured exactly-once run of {@code bench.topology.warmup-records} events (default 100,000; 0
 *       for none) in the same JVM, so that the measured phases run compiled code as a running service does.</li>
 *   <li>Throughput: {@code bench.topology.records} events (default 200,000) of 1,000 entities produced as fast as the
 *       producer goes while the service scores them; events per second from the first send to the last committed
 *       score, with exactly-once and with at-least-once.</li>
 *   <li>Latency: events produced at half the exactly-once throughput for {@code bench.topology.seconds} (default 20);
 *       produce-to-committed-score latency per event (record timestamp to the consumer's receipt), p50 and p99,
 *       after a warm-up (10 records per entity, unpaced) in which the stream's first model is fitted. The paced
 *       producer sleeps between sends, and the latency is what a read_committed consumer of the scores sees.</li>
 *   <li>Low-latency setting: exactly-once throughput, and latency at half of it, with a shorter commit interval
 *       and a Streams producer that lingers less ({@code bench.topology.low-latency.*}), printed and written apart
 *       ({@code eos_low_latency_*}) from the default setting's figures, which keep their keys.</li>
 *   <li>Pass-through bound: the same run with a topology that copies each event unchanged to the scores topic
 *       (exactly-once, same partitions, threads and client settings): what the broker, the clients and Kafka Streams
 *       alone reach on this machine, and so the most any scoring topology could reach here.</li>
 *   <li>Random Cut Forest (AWS, ThresholdedRandomCutForest: 50 trees, sample 256, shingle 8 over both features),
 *       one forest per entity, on the same feed, single thread, in memory: the reference an operator would pick.</li>
 * </ul>
 */
public final class TopologyBench implements Benchmark {

    private static final int ENTITIES = 1_000;
    private static final int PARTITIONS = 4;

    @Override
    public void run(Path dataDir, Path outDir) throws Exception {
        int records = Integer.getInteger("bench.topology.records", 200_000);
        int seconds = Integer.getInteger("bench.topology.seconds", 20);
        int threads = Integer.getInteger("bench.topology.threads", 2);
        quietLogging();
        // A comma-separated subset of pass,eos,alos,latency,low-latency,rcf (all by default), for profiling one phase;
        // eos-latency / alos-latency run one half of the latency phase.
        java.util.Set<String> phases = java.util.Set.of(System.getProperty("bench.topology.phases",
                "pass,eos,alos,latency,low-latency,rcf").split(","));
        TopologyFeed feed = new TopologyFeed(ENTITIES);
        // An unmeasured exactly-once round first, so the measured phases run on compiled code: a short run otherwise
        // pays the JIT compiler (a third of the JVM's CPU in a 200k-record run), which a running service does not.
        int warmup = Integer.getInteger("bench.topology.warmup-records", 100_000);
        if (warmup > 0) {
            throughput(feed, StreamsConfig.EXACTLY_ONCE_V2, warmup, threads, false);
        }
        double passEos = Double.NaN;
        if (phases.contains("pass")) {
            passEos = throughput(feed, StreamsConfig.EXACTLY_ONCE_V2, records, threads, true);
            System.out.printf("pass-through, exactly-once: %,.0f events/s%n", passEos);
        }

        double eos = Double.NaN;
        if (phases.contains("eos")) {
            eos = throughput(feed, StreamsConfig.EXACTLY_ONCE_V2, records, threads, false);
            System.out.printf("exactly-once:  %,.0f events/s%n", eos);
        }
        double alos = Double.NaN;
        if (phases.contains("alos")) {
            alos = throughput(feed, StreamsConfig.AT_LEAST_ONCE, records, threads, false);
            System.out.printf("at-least-once: %,.0f events/s%n", alos);
        }
        double rate = Double.isNaN(eos) ? Double.parseDouble(System.getProperty("bench.topology.rate", "2000")) : eos / 2;
        double[] eosLatency = {Double.NaN, Double.NaN};
        double[] alosLatency = {Double.NaN, Double.NaN};
        if (phases.contains("latency") || phases.contains("eos-latency")) {
            eosLatency = latency(feed, StreamsConfig.EXACTLY_ONCE_V2, rate, seconds, threads, Map.of());
            System.out.printf("exactly-once at %,.0f events/s: p50 %.1f ms, p99 %.1f ms%n", rate, eosLatency[0],
                    eosLatency[1]);
        }
        if (phases.contains("latency") || phases.contains("alos-latency")) {
            alosLatency = latency(feed, StreamsConfig.AT_LEAST_ONCE, rate, seconds, threads, Map.of());
            System.out.printf("at-least-once at %,.0f events/s: p50 %.1f ms, p99 %.1f ms%n", rate, alosLatency[0],
                    alosLatency[1]);
        }
        // The same exactly-once measurements with the low-latency setting (shorter commit interval, Streams producer
        // lingering less): what an operator who needs fresh scores gets, and what it costs in throughput.
        Map<String, Object> lowLatency = lowLatencySettings();
        double eosLow = Double.NaN;
        double[] eosLowLatency = {Double.NaN, Double.NaN};
        if (phases.contains("low-latency")) {
            eosLow = throughput(feed, StreamsConfig.EXACTLY_ONCE_V2, records, threads, false, lowLatency);
            System.out.printf("exactly-once, low-latency setting %s: %,.0f events/s%n", lowLatency, eosLow);
            eosLowLatency = latency(feed, StreamsConfig.EXACTLY_ONCE_V2, eosLow / 2, seconds, threads, lowLatency);
            System.out.printf("exactly-once, low-latency setting, at %,.0f events/s: p50 %.1f ms, p99 %.1f ms%n",
                    eosLow / 2, eosLowLatency[0], eosLowLatency[1]);
        }
        double rcf = phases.contains("rcf") ? rcf(feed, Math.min(records, 100_000)) : Double.NaN;
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf("(system load average %.1f on %d cores)%n", load, Runtime.getRuntime().availableProcessors());
        System.out.printf("Random Cut Forest: %,.0f events/s (one thread, no Kafka); Flowcast EOS / RCF = %.2f%n",
                rcf, eos / rcf);

        new BenchReport("topology")
                .put("records", records)
                .put("entities", ENTITIES)
                .put("partitions", PARTITIONS)
                .put("stream_threads", threads)
                .put("warmup_records", warmup)
                .put("eos_commit_interval_ms", TopologyBrokerRun.commitIntervalMs())
                .put("passthrough_eos_events_per_s", passEos)
                .put("eos_events_per_s", eos)
                .put("alos_events_per_s", alos)
                .put("latency_rate_events_per_s", rate)
                .put("eos_p50_ms", eosLatency[0])
                .put("eos_p99_ms", eosLatency[1])
                .put("alos_p50_ms", alosLatency[0])
                .put("alos_p99_ms", alosLatency[1])
                .put("eos_low_latency_commit_interval_ms", lowLatency.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG))
                .put("eos_low_latency_producer_linger_ms", lowLatency.get(LOW_LATENCY_LINGER))
                .put("eos_low_latency_events_per_s", eosLow)
                .put("eos_low_latency_rate_events_per_s", eosLow / 2)
                .put("eos_low_latency_p50_ms", eosLowLatency[0])
                .put("eos_low_latency_p99_ms", eosLowLatency[1])
                .put("rcf_events_per_s", rcf)
                .put("eos_to_rcf_ratio", eos / rcf)
                .put("system_load_average", load)
                .put("cores", Runtime.getRuntime().availableProcessors())
                .write(outDir);
    }

    private static final String LOW_LATENCY_LINGER = StreamsConfig.producerPrefix("linger.ms");

    /**
     * The low-latency setting: {@code bench.topology.low-latency.commit-ms} (default 10) and the Streams producer's
     * {@code linger.ms} {@code bench.topology.low-latency.linger-ms} (default 5, Streams' own default is 100).
     */
    private static Map<String, Object> lowLatencySettings() {
        return Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                Integer.getInteger("bench.topology.low-latency.commit-ms", 10),
                LOW_LATENCY_LINGER, Integer.getInteger("bench.topology.low-latency.linger-ms", 5));
    }

    private static double throughput(TopologyFeed feed, String guarantee, int records, int threads,
            boolean passThrough) throws Exception {
        return throughput(feed, guarantee, records, threads, passThrough, Map.of());
    }

    private static double throughput(TopologyFeed feed, String guarantee, int records, int threads,
            boolean passThrough, Map<String, Object> settings) throws Exception {
        try (TopologyBrokerRun run = new TopologyBrokerRun(guarantee, PARTITIONS, threads, passThrough, settings)) {
            AtomicLong firstSend = new AtomicLong();
            long cpuBefore = processCpuNanos();
            long streamCpuBefore = streamThreadCpuNanos();
            Thread producer = new Thread(() -> {
                firstSend.set(System.nanoTime());
                for (long i = 0; i < records; i++) {
                    run.send(feed, i);
                }
                run.flush();
            }, "bench-producer");
            producer.start();
            long scored = 0;
            long deadline = System.nanoTime() + 600_000_000_000L;
            while (scored < records && System.nanoTime() < deadline) {
                scored += run.poll().count();
            }
            long end = System.nanoTime();
            producer.join();
            if (scored < records) {
                throw new IllegalStateException(guarantee + ": only " + scored + " of " + records + " scored");
            }
            // CPU time per record (broker, producer, service and reader together): steadier than wall time on a
            // machine shared with other work.
            System.out.printf("%s%s: %.1f us CPU per record (whole JVM), %.1f us in the stream threads%n",
                    passThrough ? "pass-through " : "", guarantee,
                    (processCpuNanos() - cpuBefore) / 1e3 / records,
                    (streamThreadCpuNanos() - streamCpuBefore) / 1e3 / records);
            System.out.printf("%s throughput phase %s%n", guarantee, run.commitSummary());
            return records / ((end - firstSend.get()) / 1e9);
        }
    }

    /**
     * p50 and p99 produce-to-score latency in ms at a paced rate. The stream's first model needs 700 full contexts
     * (8 records of history per entity first): those warm-up records are produced unpaced and scored before the
     * measured, paced records start.
     */
    private static double[] latency(TopologyFeed feed, String guarantee, double rate, int seconds, int threads,
            Map<String, Object> settings) throws Exception {
        try (TopologyBrokerRun run = new TopologyBrokerRun(guarantee, PARTITIONS, threads, false, settings)) {
            long warm = 10L * feed.entities();
            for (long i = 0; i < warm; i++) {
                run.send(feed, i);
            }
            run.flush();
            long seen = 0;
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (seen < warm && System.nanoTime() < deadline) {
                seen += run.poll().count();
            }
            long total = (long) (rate * seconds);
            // -Dbench.topology.latency-breakdown=true: also the time until each score is written (uncommitted).
            Thread uncommitted = null;
            double[] written = new double[(int) total + 1];
            int[] writtenCount = {0};
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            if (Boolean.getBoolean("bench.topology.latency-breakdown")) {
                var reader = run.uncommittedReader();
                long assigned = System.nanoTime() + 60_000_000_000L;
                while (reader.assignment().isEmpty() && System.nanoTime() < assigned) {
                    reader.poll(java.time.Duration.ofMillis(50));
                }
                uncommitted = new Thread(() -> {
                    try (reader) {
                        while (!stop.get() && writtenCount[0] < written.length) {
                            for (ConsumerRecord<byte[], byte[]> record : reader.poll(java.time.Duration.ofMillis(50))) {
                                if (writtenCount[0] < written.length) {
                                    written[writtenCount[0]++] = System.currentTimeMillis() - record.timestamp();
                                }
                            }
                        }
                    }
                }, "bench-uncommitted-reader");
                uncommitted.start();
            }
            Thread producer = new Thread(() -> {
                long start = System.nanoTime();
                for (long i = 0; i < total; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    // Sleep, not spin, until the record is due: a spinning producer held one of the machine's two
                    // cores for the whole phase, away from the broker and the service it measures. A late wake-up
                    // only delays the send (the record's timestamp is taken when it is sent), and the schedule is
                    // absolute, so the rate holds.
                    long early = due - System.nanoTime();
                    if (early > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(early);
                    }
                    run.send(feed, warm + i);
                }
                run.flush();
            }, "bench-paced-producer");
            producer.start();
            double[] latencies = new double[(int) total];
            int n = 0;
            deadline = System.nanoTime() + (seconds + 120) * 1_000_000_000L;
            while (n < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : run.poll()) {
                    latencies[n++] = System.currentTimeMillis() - record.timestamp();
                }
            }
            producer.join();
            System.out.printf("%s latency phase %s%n", guarantee, run.commitSummary());
            if (uncommitted != null) {
                stop.set(true);
                uncommitted.join();
                double[] w = Arrays.copyOf(written, writtenCount[0]);
                Arrays.sort(w);
                System.out.printf("%s breakdown: written (uncommitted) p50 %.0f ms, p99 %.0f ms (%d scores)%n",
                        guarantee, quantile(w, 0.5), quantile(w, 0.99), w.length);
            }
            double[] measured = Arrays.copyOf(latencies, n);
            Arrays.sort(measured);
            return new double[] {quantile(measured, 0.5), quantile(measured, 0.99)};
        }
    }

    private static double rcf(TopologyFeed feed, int records) {
        Map<String, ThresholdedRandomCutForest> forests = new HashMap<>();
        double[] point = new double[2];
        double sink = 0;
        long start = System.nanoTime();
        for (long i = 0; i < records; i++) {
            ThresholdedRandomCutForest forest = forests.computeIfAbsent(feed.entity(i),
                    e -> ThresholdedRandomCutForest.builder().dimensions(2 * 8).shingleSize(8)
                            .internalShinglingEnabled(true).numberOfTrees(50).sampleSize(256).randomSeed(42L)
                            .build());
            double[] v = feed.values(i);
            point[0] = v[0];
            point[1] = v[1];
            sink += forest.process(point, feed.eventTime(i)).getAnomalyGrade();
        }
        double perSecond = records / ((System.nanoTime() - start) / 1e9);
        if (Double.isNaN(sink)) {
            System.out.println("(RCF grades contained NaN)");
        }
        return perSecond;
    }

    /**
     * The service runs under Quarkus, which logs Kafka at WARN (application.properties). This bare JVM's JBoss log
     * manager would otherwise enable every level, and Kafka's clients and broker format their trace messages for
     * each record, which measured as a large share of the stream threads' time.
     */
    private static void quietLogging() {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
        for (String category : new String[] {"org.apache.kafka", "kafka", "state.change.logger"}) {
            java.util.logging.Logger.getLogger(category).setLevel(java.util.logging.Level.WARNING);
        }
    }

    /** CPU time of the live Kafka Streams threads: the service's own share of the JVM's work. */
    private static long streamThreadCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().contains("StreamThread")) {
                long nanos = threads.getThreadCpuTime(thread.getId());
                total += Math.max(0, nanos);
            }
        }
        return total;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
