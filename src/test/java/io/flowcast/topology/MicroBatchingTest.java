package io.flowcast.topology;

import static io.flowcast.topology.TopologyHarness.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.ExportedMetric;
import io.flowcast.contract.TopicNames;
import io.flowcast.serving.StreamModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records of many entities scored together: same outputs as one by one, fewer model calls, safe model swaps. */
class MicroBatchingTest {

    private static final Duration WAIT = Duration.ofMillis(5);
    private static final ScoringTopology.Options ONE_BY_ONE =
            new ScoringTopology.Options(16, Duration.ofMinutes(10), 4096, "pedestrians");
    private static final ScoringTopology.Options BATCHED = ONE_BY_ONE.withBatching(64, WAIT);

    @TempDir
    Path stateDir;

    /** 3 entities, 40 records each, interleaved; values differ per entity. */
    private static List<Object[]> interleavedFeed() {
        List<Object[]> feed = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            for (int e = 0; e < 3; e++) {
                feed.add(new Object[] {"e" + e, T0 + i * 1000L, Math.sin(i / 4.0 + e) * (1 + e)});
            }
        }
        return feed;
    }

    private List<AnomalyDescriptor> run(ScoringTopology.Options options, TopologyHarness.CountingDensity density,
            Path dir) {
        StreamModel model = TopologyHarness.sineModel("sine.fixed", 3, density);
        try (TopologyHarness harness = new TopologyHarness(
                new TopologyHarness.SwappableCatalog(TopologyHarness.SINE, model), options, dir)) {
            for (Object[] r : interleavedFeed()) {
                harness.sine((String) r[0], (Long) r[1], (Double) r[2]);
            }
            harness.tick(WAIT);
            assertTrue(harness.deadLetters.isEmpty());
            return harness.scores.readValuesToList();
        }
    }

    @Test
    void aBatchedRunPublishesExactlyWhatScoringOneByOneDoesWithOneModelCallPerBatch() {
        TopologyHarness.CountingDensity single = new TopologyHarness.CountingDensity(TopologyHarness.sineDensity());
        TopologyHarness.CountingDensity batched = new TopologyHarness.CountingDensity(TopologyHarness.sineDensity());
        List<AnomalyDescriptor> expected = run(ONE_BY_ONE, single, stateDir.resolve("single"));
        List<AnomalyDescriptor> actual = run(BATCHED, batched, stateDir.resolve("batched"));

        assertEquals(120, actual.size());
        assertEquals(expected, actual);
        // 6 records warm up (2 per entity); the other 114 are scored. One by one: one call per scored record.
        // Batched: 64 records fill the first batch, the punctuation flushes the other 56: two calls of each kind.
        assertEquals(114, single.logProbCalls.get());
        assertEquals(2, batched.logProbCalls.get());
        assertEquals(2, batched.sampleCalls.get());
        // Every output names the model version that scored it, and each entity's records come out in order.
        assertTrue(actual.stream().filter(d -> !d.warmingUp()).allMatch(d -> d.model().equals(
                new ModelRef("sine.fixed", 3))));
        assertEquals(LongStream.range(0, 120).boxed().toList(), actual.stream().map(d -> d.source().offset())
                .toList());
    }

    @Test
    void aRecordWaitsForItsBatchAtMostUntilThePunctuationAndStaysParkedUntilThen() {
        TopologyHarness.CountingDensity density = new TopologyHarness.CountingDensity(TopologyHarness.sineDensity());
        StreamModel model = TopologyHarness.sineModel("sine.fixed", 1, density);
        try (TopologyHarness harness = new TopologyHarness(
                new TopologyHarness.SwappableCatalog(TopologyHarness.SINE, model), BATCHED, stateDir)) {
            for (int i = 0; i < 5; i++) {
                harness.sine("e1", T0 + i * 1000L, i);
            }
            assertTrue(harness.scores.isEmpty());
            assertEquals(5, count(harness, ScoringTopology.EVENT_PENDING_STORE));

            harness.tick(WAIT);
            assertEquals(5, harness.scores.readValuesToList().size());
            assertEquals(0, count(harness, ScoringTopology.EVENT_PENDING_STORE));
            assertEquals(1, density.logProbCalls.get());
            assertEquals(1.0, harness.registry.summary(ExportedMetric.BATCH_SIZE.micrometerName()).count());
            assertEquals(5.0, harness.registry.summary(ExportedMetric.BATCH_SIZE.micrometerName()).totalAmount());
        }
    }

    @Test
    void aModelSwappedBetweenBatchesScoresEachRecordOnceAndEveryOutputNamesItsVersion() {
        StreamModel v1 = TopologyHarness.sineModel("sine", 1, TopologyHarness.sineDensity());
        StreamModel v2 = TopologyHarness.sineModel("sine", 2, TopologyHarness.sineDensity());
        TopologyHarness.SwappableCatalog catalog = new TopologyHarness.SwappableCatalog(TopologyHarness.SINE, v1);
        try (TopologyHarness harness = new TopologyHarness(catalog, BATCHED, stateDir)) {
            for (int i = 0; i < 6; i++) {
                harness.sine("e1", T0 + i * 1000L, i % 3);
            }
            harness.tick(WAIT); // batch 1: offsets 0-5, scored by v1
            for (int i = 6; i < 9; i++) {
                harness.sine("e1", T0 + i * 1000L, i % 3);
            }
            catalog.swap(v2); // while offsets 6-8 are parked
            for (int i = 9; i < 12; i++) {
                harness.sine("e1", T0 + i * 1000L, i % 3);
            }
            harness.tick(WAIT); // batch 2: offsets 6-11, all scored by v2

            List<AnomalyDescriptor> out = harness.scores.readValuesToList();
            assertEquals(LongStream.range(0, 12).boxed().toList(),
                    out.stream().map(AnomalyDescriptor::source).map(SourceRef::offset).toList());
            for (AnomalyDescriptor d : out) {
                int version = d.source().offset() < 6 ? 1 : 2;
                assertEquals(new ModelRef("sine", version), d.model(), "offset " + d.source().offset());
                assertEquals(d.source().offset() >= 2, !d.warmingUp());
                assertEquals(TopicNames.EVENTS, d.source().topic());
            }
        }
    }

    @Test
    void aSlowBatchHalvesTheBatchSizeAndFastFullBatchesGrowItBack() {
        BatchSizer sizer = new BatchSizer(64, Duration.ofMillis(100).toNanos());
        assertEquals(64, sizer.limit());
        sizer.scored(64, Duration.ofMillis(250).toNanos());
        assertEquals(32, sizer.limit());
        sizer.scored(32, Duration.ofMillis(150).toNanos());
        assertEquals(16, sizer.limit());
        sizer.scored(3, Duration.ofMillis(1).toNanos()); // not full: says nothing about a full batch's time
        assertEquals(16, sizer.limit());
        sizer.scored(16, Duration.ofMillis(10).toNanos());
        assertEquals(32, sizer.limit());
        for (int i = 0; i < 10; i++) {
            sizer.scored(sizer.limit(), Duration.ofMillis(1).toNanos());
        }
        assertEquals(64, sizer.limit());
        for (int i = 0; i < 10; i++) {
            sizer.scored(sizer.limit(), Duration.ofSeconds(1).toNanos());
        }
        assertEquals(1, sizer.limit());
    }

    @Test
    void aParkedRecordSurvivesItsStoreByteForByte() {
        PendingRecord parked = new PendingRecord(new SourceRef(TopicNames.EVENTS, 3, 77), T0, null,
                TopologyHarness.sineEvent("e1", T0, 1.5), new Observation("e1", T0, "test-sine",
                        java.util.Map.of("value", 1.5), java.util.Map.of("site", "nord")),
                new EntityHistory(1, 2, new float[] {1, 2}, T0 - 1000));
        PendingRecordSerde serde = new PendingRecordSerde();
        PendingRecord back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", parked));
        assertEquals(parked.source(), back.source());
        assertEquals(parked.timestamp(), back.timestamp());
        assertEquals(null, back.key());
        assertEquals(new String(parked.value()), new String(back.value()));
        assertEquals(parked.observation(), back.observation());
        assertEquals(parked.prior().lastEventTime(), back.prior().lastEventTime());
        org.junit.jupiter.api.Assertions.assertArrayEquals(parked.prior().values(), back.prior().values());
    }

    @Test
    void recordsParkedUnderTheirOffsetByAnEarlierVersionAreMovedIntoSlotsInArrivalOrder() {
        StreamModel model = TopologyHarness.sineModel("sine.fixed", 1, TopologyHarness.sineDensity());
        try (TopologyHarness harness = new TopologyHarness(
                new TopologyHarness.SwappableCatalog(TopologyHarness.SINE, model), BATCHED, stateDir)) {
            // What an earlier version left behind: parked records keyed by their offsets.
            var store = harness.driver.<Long, PendingRecord>getKeyValueStore(ScoringTopology.EVENT_PENDING_STORE);
            for (long offset : new long[] {41, 1, 40}) {
                store.put(offset, parked(offset));
            }
            List<PendingRecord> resumed = ScoringProcessor.resumeParked(store);
            assertEquals(List.of(1L, 40L, 41L), resumed.stream().map(p -> p.source().offset()).toList());
            assertEquals(3, count(harness, ScoringTopology.EVENT_PENDING_STORE));
            for (long slot = 0; slot < 3; slot++) {
                assertEquals(resumed.get((int) slot).source(), store.get(slot).source());
            }
            // Already in slots: read as they are.
            assertEquals(List.of(1L, 40L, 41L), ScoringProcessor.resumeParked(store).stream()
                    .map(p -> p.source().offset()).toList());
        }
    }

    private static PendingRecord parked(long offset) {
        long time = T0 + offset * 1000L;
        return new PendingRecord(new SourceRef(TopicNames.EVENTS, 0, offset), time, null,
                TopologyHarness.sineEvent("e1", time, 1.0), new Observation("e1", time, "test-sine",
                        java.util.Map.of("value", 1.0), java.util.Map.of()),
                new EntityHistory(1, 2, new float[] {0.5f, 0.75f}, time - 1000));
    }

    private static long count(TopologyHarness harness, String store) {
        long n = 0;
        try (var all = harness.driver.<Long, PendingRecord>getKeyValueStore(store).all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }
}
