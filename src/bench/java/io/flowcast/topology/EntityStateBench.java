package io.flowcast.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flowcast.anomaly.EntityEvidence;
import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.anomaly.RecordScorer;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.bench.Benchmark;
import io.flowcast.flow.ConditionalDensity;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.LatentDependence;
import io.flowcast.flow.onnx.TestFlows;
import io.flowcast.serving.DependentOnnxFlow;
import io.flowcast.serving.ExecutionProviderSelector;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.OnnxFlowSession;
import io.flowcast.serving.ProviderChoice;
import io.flowcast.serving.SessionSettings;
import io.flowcast.serving.StreamModel;
import io.flowcast.serving.StreamProfile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What the per-entity scoring state costs {@link BatchScorer}: CPU time per record of 256-record micro-batches over
 * 1,000 entities of a two-feature stream (context window 8 with time features, as the topology bench), scored by one
 * exported spline flow read three ways, in alternating rounds: i.i.d. (no state), with an Ornstein-Uhlenbeck latent
 * dependence (innovation score: one more model call per batch for the codes), and i.i.d. with live alarm evidence
 * (default settings). The state carried between batches is written back as the topology does. Also the bytes an
 * entity's evidence adds to its stored history. {@code ./mvnw -q -Pbench verify -Dbench=entity-state}.
 */
public final class EntityStateBench implements Benchmark {

    private static final String STREAM = "bench-entity";
    private static final int ENTITIES = 1000;
    private static final int BATCH = 256;
    private static final int BATCHES_PER_ROUND = Integer.getInteger("bench.entity-state.batches", 10);
    private static final int ROUNDS = Integer.getInteger("bench.entity-state.rounds", 5);
    private static final ContextSpec CONTEXT = new ContextSpec(8, true);
    private static final List<String> FEATURES = List.of("latency_ms", "requests_per_s");

    @Override
    public void run(Path dataDir, Path outDir) throws Exception {
        FlowConfig config = FlowConfig.builder(2, CONTEXT.dimension(2)).couplings(2).hiddenWidth(32).bins(8).build();
        StreamProfile profile = new StreamProfile(STREAM, FEATURES, CONTEXT, 0.005);
        HeldOutCalibration calibration = HeldOutCalibration.of(new SplittableRandom(1).doubles(2000, -5, 20)
                .toArray());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // One intra-op thread: the whole model call runs on the scoring thread, so its CPU time is all of the cost.
        try (OnnxFlowSession session = OnnxFlowSession.open(TestFlows.export(config, 3), new SessionSettings(1, 8192),
                new ExecutionProviderSelector(ProviderChoice.CPU))) {
            Map<String, Variant> variants = new LinkedHashMap<>();
            variants.put("iid", new Variant(profile, session, EvidenceStreams.NONE));
            variants.put("innovation", new Variant(profile,
                    new DependentOnnxFlow(session, new LatentDependence.OrnsteinUhlenbeck(60)), EvidenceStreams.NONE));
            variants.put("evidence", new Variant(profile, session, new EvidenceStreams(
                    new EntityEvidence(EntityEvidence.Settings.defaults()), Set.of(STREAM))));
            for (Variant variant : variants.values()) {
                variant.round(threads, 10); // warm-up: JIT, ONNX Runtime, every entity's history filled
            }
            Map<String, List<Double>> perRecord = new LinkedHashMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (Map.Entry<String, Variant> variant : variants.entrySet()) {
                    perRecord.computeIfAbsent(variant.getKey(), k -> new ArrayList<>())
                            .add(variant.getValue().round(threads, BATCHES_PER_ROUND));
                }
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("records_per_round", BATCHES_PER_ROUND * BATCH);
            report.put("rounds", ROUNDS);
            double iid = median(perRecord.get("iid"));
            for (Map.Entry<String, List<Double>> entry : perRecord.entrySet()) {
                double median = median(entry.getValue());
                report.put(entry.getKey() + "_cpu_us_per_record", median);
                System.out.printf("%-10s %7.1f us CPU per record (median of %d rounds; %s); +%.1f us over iid%n",
                        entry.getKey(), median, ROUNDS, entry.getValue(), median - iid);
            }
            components(report, session, threads);
            EntityHistory stored = variants.get("evidence").histories.values().iterator().next();
            int without = new EntityHistorySerde().serializer().serialize("t", stored).length;
            int withEvidence = new EvidenceStateSerde().serializer().serialize("t",
                    variants.get("evidence").evidenceStates.values().iterator().next()).length;
            report.put("history_bytes", without);
            report.put("evidence_bytes", withEvidence);
            report.put("system_load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf("stored history of a 2-feature entity: %d bytes, its evidence %d (load %.1f)%n",
                    without, withEvidence, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            Files.createDirectories(outDir);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(outDir.resolve("entity-state.json").toFile(), report);
        }
    }

    /**
     * The added parts alone, where the whole batch's noise (the model calls dominate it) does not hide them: one
     * evidence update of a full default state, the history's store round trip with and without that state, and the
     * codes call of a 256-record batch (the innovation's only model call).
     */
    private static void components(Map<String, Object> report, OnnxFlowSession session, ThreadMXBean threads) {
        EntityEvidence evidence = new EntityEvidence(EntityEvidence.Settings.defaults());
        SplittableRandom random = new SplittableRandom(5);
        EntityEvidence.State state = null;
        for (long t = 0; t < 3 * 86_400_000L; t += 600_000) {
            state = evidence.update(state, t, new float[] {(float) random.nextGaussian(),
                (float) random.nextGaussian()}, 0.5).next();
        }
        float[][] values = new float[1024][];
        for (int i = 0; i < values.length; i++) {
            values[i] = new float[] {(float) random.nextGaussian(), (float) random.nextGaussian()};
        }
        int n = 200_000;
        double sink = 0;
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            sink += evidence.update(state, 3 * 86_400_000L + i * 1000L, values[i & 1023], 0.5).tail();
        }
        double updateUs = (threads.getCurrentThreadCpuTime() - start) / 1e3 / n;
        EntityHistorySerde serde = new EntityHistorySerde();
        EntityHistory plain = EntityHistory.empty(2);
        for (int i = 0; i < 8; i++) {
            plain = plain.append(values[i], i, 8);
        }
        double plainUs = roundTripUs(serde, plain, threads, n);
        EvidenceStateSerde evidenceSerde = new EvidenceStateSerde();
        long sinkBytes = 0;
        start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            sinkBytes += evidenceSerde.deserializer().deserialize("t", evidenceSerde.serializer().serialize("t", state))
                    .recentSize();
        }
        double fullUs = (threads.getCurrentThreadCpuTime() - start) / 1e3 / n + (sinkBytes == 42 ? 1 : 0);
        float[] x = new float[256 * 2];
        float[] c = new float[256 * CONTEXT.dimension(2)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < 50; i++) {
            sink += session.codes(x, c, 256)[0] + session.logProb(x, c, 256)[0];
        }
        int calls = 400;
        start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
            sink += session.codes(x, c, 256)[0];
        }
        double codesUs = (threads.getCurrentThreadCpuTime() - start) / 1e3 / (calls * 256.0);
        start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
            sink += session.logProb(x, c, 256)[0];
        }
        double logProbUs = (threads.getCurrentThreadCpuTime() - start) / 1e3 / (calls * 256.0);
        report.put("evidence_update_cpu_us", updateUs);
        report.put("history_round_trip_cpu_us", plainUs);
        report.put("evidence_round_trip_cpu_us", fullUs);
        report.put("codes_cpu_us_per_record", codesUs);
        report.put("log_prob_cpu_us_per_record", logProbUs);
        System.out.printf("evidence update %.2f us; history store round trip %.2f us, evidence store %.2f us; codes "
                + "%.2f us per record at batch 256 (log-density %.2f us)%s%n", updateUs, plainUs, fullUs, codesUs,
                logProbUs, Double.isNaN(sink) ? " (NaN seen)" : "");
    }

    private static double roundTripUs(EntityHistorySerde serde, EntityHistory history, ThreadMXBean threads, int n) {
        long sink = 0;
        for (int i = 0; i < n / 10; i++) {
            sink += serde.deserializer().deserialize("t", serde.serializer().serialize("t", history)).rows();
        }
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            sink += serde.deserializer().deserialize("t", serde.serializer().serialize("t", history)).rows();
        }
        double us = (threads.getCurrentThreadCpuTime() - start) / 1e3 / n;
        return sink == 42 ? us + 0 : us;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    /** One reading of the model, with its own entities' histories carried from batch to batch. */
    private static final class Variant {
        final BatchScorer scorer;
        final StreamProfile profile;
        final Map<String, EntityHistory> histories = new HashMap<>();
        final Map<String, EntityEvidence.State> evidenceStates = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(11);
        long offset;

        Variant(StreamProfile profile, ConditionalDensity density, EvidenceStreams evidence) {
            this.profile = profile;
            StreamModel model = new StreamModel(STREAM + ".flow", 1, FEATURES, CONTEXT, density,
                    HeldOutCalibration.of(new SplittableRandom(1).doubles(2000, -5, 20).toArray()));
            ModelCatalog catalog = new ModelCatalog() {
                @Override
                public Set<String> streams() {
                    return Set.of(STREAM);
                }

                @Override
                public Optional<StreamProfile> profile(String stream) {
                    return Optional.of(profile).filter(p -> p.name().equals(stream));
                }

                @Override
                public Optional<StreamModel> current(String stream) {
                    return Optional.of(model).filter(m -> stream.equals(STREAM));
                }
            };
            this.scorer = new BatchScorer(catalog, new RecordScorer(32), evidence);
        }

        /** Scores {@code batches} batches; CPU microseconds per record of this thread. */
        double round(ThreadMXBean threads, int batches) {
            long cpu = 0;
            for (int b = 0; b < batches; b++) {
                List<PendingRecord> batch = nextBatch();
                long start = threads.getCurrentThreadCpuTime();
                List<BatchScorer.Outcome> outcomes = scorer.score(batch, 0, evidenceStates::get);
                cpu += threads.getCurrentThreadCpuTime() - start;
                for (BatchScorer.Outcome outcome : outcomes) {
                    Observation o = outcome.pending().observation();
                    String key = o.stream() + '/' + o.entityId();
                    histories.put(key, histories.get(key).withLatent(outcome.latent()));
                    if (outcome.evidence() != null) {
                        evidenceStates.put(key, outcome.evidence());
                    }
                }
            }
            return cpu / 1e3 / (batches * BATCH);
        }

        /** 256 records of random entities (some twice), each admitted to its history as the topology does. */
        private List<PendingRecord> nextBatch() {
            List<PendingRecord> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                String entity = "e" + random.nextInt(ENTITIES);
                String key = STREAM + '/' + entity;
                EntityHistory prior = histories.computeIfAbsent(key, k -> EntityHistory.empty(2));
                long time = (prior.lastEventTime() == Long.MIN_VALUE ? 1_700_000_000_000L : prior.lastEventTime())
                        + 1000 + random.nextInt(1000);
                double latency = 100 + 20 * Math.sin(time / 3.6e6) + 5 * random.nextGaussian();
                double requests = 50 + 10 * Math.cos(time / 3.6e6) + 2 * random.nextGaussian();
                Observation o = new Observation(entity, time, STREAM, Map.of("latency_ms", latency,
                        "requests_per_s", requests), Map.of());
                float[] x = profile.vector(o.features());
                histories.put(key, prior.append(x, time, CONTEXT.window()));
                batch.add(new PendingRecord(new SourceRef("flowcast.events", 0, offset++), time, null, null, o,
                        prior));
            }
            return batch;
        }
    }
}
