package io.flowcast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowcast.contract.CheckedRecord;
import io.flowcast.contract.EventRecord;
import io.flowcast.contract.EventStreamingReader;
import io.flowcast.contract.TopicContract;
import io.flowcast.contract.TopicContracts;
import io.flowcast.contract.TopicNames;
import io.flowcast.contract.TrajectoryStreamingReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Reading and validating one input record: the reference path (strict JSON tree, finite-number scan, networknt
 * schema validation, then reading the values off the tree) against the streaming readers (one pass over a
 * streaming parser, no tree). The two run in alternating rounds in one process, so a loaded machine slows both
 * alike; the figures are medians over rounds, per thread CPU time beside wall time, with the load average.
 */
final class ContractBench implements Benchmark {

    private static final int RECORDS = 20_000;
    private static final int ROUNDS = 9;
    private static final int WARMUP_ROUNDS = 4;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Override
    public void run(Path dataDir, Path outDir) throws Exception {
        TopicContracts contracts = TopicContracts.shared();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        BenchReport report = new BenchReport("contract").put("records_per_round", RECORDS).put("rounds", ROUNDS);

        TopicContract events = contracts.forTopic(TopicNames.EVENTS);
        byte[][] eventRecords = eventRecords(new TopologyFeed(1000));
        measure(report, "events", eventRecords,
                bytes -> treeEvent(events.read(bytes, TopicContracts.DEFAULT_MAX_RECORD_BYTES)),
                EventStreamingReader::readIfValid);

        TopicContract trajectories = contracts.forTopic(TopicNames.TRAJECTORIES);
        measure(report, "trajectories", trajectoryRecords(),
                bytes -> requireValid(trajectories.read(bytes, TopicContracts.DEFAULT_MAX_RECORD_BYTES)),
                TrajectoryStreamingReader::readIfValid);

        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        report.put("load_average_1m_before", loadBefore).put("load_average_1m_after", loadAfter)
                .put("available_processors", Runtime.getRuntime().availableProcessors());
        System.out.printf("load average (1 min): %.1f before, %.1f after, %d cores%n", loadBefore, loadAfter,
                Runtime.getRuntime().availableProcessors());
        report.write(outDir);
    }

    private void measure(BenchReport report, String topic, byte[][] records, Function<byte[], Object> reference,
            Function<byte[], Object> streaming) {
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            round(records, reference);
            round(records, streaming);
        }
        double[] referenceRate = new double[ROUNDS];
        double[] streamingRate = new double[ROUNDS];
        double[] referenceCpu = new double[ROUNDS];
        double[] streamingCpu = new double[ROUNDS];
        double[] wallRatio = new double[ROUNDS];
        double[] cpuRatio = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            // Alternate which goes first, so a load change within a pair does not favour one side.
            long[] a;
            long[] b;
            if (r % 2 == 0) {
                a = round(records, reference);
                b = round(records, streaming);
            } else {
                b = round(records, streaming);
                a = round(records, reference);
            }
            referenceRate[r] = records.length * 1e9 / a[0];
            streamingRate[r] = records.length * 1e9 / b[0];
            referenceCpu[r] = a[1] / 1e3 / records.length;
            streamingCpu[r] = b[1] / 1e3 / records.length;
            wallRatio[r] = streamingRate[r] / referenceRate[r];
            cpuRatio[r] = (double) a[1] / b[1];
        }
        report.put(topic + "_reference_records_per_s", Stats.median(referenceRate))
                .put(topic + "_streaming_records_per_s", Stats.median(streamingRate))
                .put(topic + "_reference_cpu_us_per_record", Stats.median(referenceCpu))
                .put(topic + "_streaming_cpu_us_per_record", Stats.median(streamingCpu))
                .put(topic + "_speedup_wall", Stats.median(wallRatio))
                .put(topic + "_speedup_cpu", Stats.median(cpuRatio));
        System.out.printf("%-12s reference %,10.0f rec/s (%.2f us CPU)   streaming %,10.0f rec/s (%.2f us CPU)"
                        + "   speed-up %.2fx wall, %.2fx CPU (medians of %d alternating rounds)%n",
                topic, Stats.median(referenceRate), Stats.median(referenceCpu), Stats.median(streamingRate),
                Stats.median(streamingCpu), Stats.median(wallRatio), Stats.median(cpuRatio), ROUNDS);
    }

    /** {wall ns, thread CPU ns} for reading every record once; fails if a record is refused. */
    private long[] round(byte[][] records, Function<byte[], Object> read) {
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        for (byte[] bytes : records) {
            if (read.apply(bytes) == null) {
                throw new IllegalStateException("a bench record was refused: " + new String(bytes, StandardCharsets.UTF_8));
            }
        }
        return new long[] {System.nanoTime() - wall0, threads.getCurrentThreadCpuTime() - cpu0};
    }

    /** What the topology read off the tree before: the same record the streaming reader builds. */
    private static EventRecord treeEvent(CheckedRecord checked) {
        JsonNode node = requireValid(checked);
        Map<String, Double> features = new LinkedHashMap<>();
        node.get("features").properties().forEach(f -> features.put(f.getKey(), f.getValue().doubleValue()));
        return new EventRecord(node.get("entityId").textValue(), node.get("eventTime").longValue(),
                node.get("stream").textValue(), features, Map.of());
    }

    private static JsonNode requireValid(CheckedRecord checked) {
        if (!checked.isValid()) {
            throw new IllegalStateException("a bench record is invalid: " + checked.result());
        }
        return checked.value();
    }

    private static byte[][] eventRecords(TopologyFeed feed) {
        byte[][] records = new byte[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            records[i] = feed.value(i);
        }
        return records;
    }

    /** Pedestrians in a scene, one position a record, some with speed and attributes. */
    private static byte[][] trajectoryRecords() {
        byte[][] records = new byte[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            int agent = i % 1000;
            double t = i / 1000 * 0.4;
            String extra = i % 2 == 0 ? "" : ",\"speed\":" + (1.2 + agent % 7 * 0.1)
                    + ",\"attributes\":{\"class\":\"pedestrian\",\"confidence\":0.9}";
            records[i] = ("{\"entityId\":\"ped-" + agent + "\",\"eventTime\":" + (1_700_000_000_000L + i / 1000 * 400L)
                    + ",\"position\":{\"x\":" + (agent * 0.5 + 1.3 * t) + ",\"y\":" + (-agent * 0.25 + 0.7 * t)
                    + "},\"scene\":\"eth\"" + extra + "}").getBytes(StandardCharsets.UTF_8);
        }
        return records;
    }
}
