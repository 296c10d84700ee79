package io.flowcast.topology;

import static io.flowcast.topology.TopologyHarness.NOW;
import static io.flowcast.topology.TopologyHarness.T0;
import static io.flowcast.topology.TopologyHarness.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.DlqReason;
import io.flowcast.contract.ExportedMetric;
import io.flowcast.contract.TopicContracts;
import io.flowcast.contract.TopicNames;
import io.flowcast.contract.ValidationResult;
import io.flowcast.contract.Violation;
import io.flowcast.serving.StreamModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defined behaviour of each awkward input, asserted on the exact records published. Batching is on (16 records,
 * 5 ms), so the rules hold while earlier records of the entity are still parked in the batch.
 * <ul>
 *   <li>A record at the same event time as the entity's newest: DUPLICATE dead letter (a re-send; it would
 *       otherwise enter the context twice). Before the newest: OUT_OF_ORDER dead letter (the history moved on).
 *       Both leave the entity's history as it was.</li>
 *   <li>NaN and Infinity cannot be written in JSON: such literals are MALFORMED_JSON; a number that overflows a
 *       double (1e400) is NON_FINITE_VALUE; beyond the contract's bound of 1e15 it is a SCHEMA_VIOLATION; a magnitude
 *       within the contract but over flowcast.scoring.max-abs-value (1e12 by default) is OUT_OF_RANGE.</li>
 *   <li>After a silence longer than max-gap the entity warms up again: its records are published as warming up
 *       (naming the current model) until its context has refilled.</li>
 * </ul>
 */
class EdgeCaseTopologyTest {

    private static final ScoringTopology.Options OPTIONS = new ScoringTopology.Options(8, Duration.ofMinutes(10),
            4096, "pedestrians").withBatching(16, Duration.ofMillis(5));
    private static final ModelRef MODEL = new ModelRef("sine.fixed", 5);

    @TempDir
    Path stateDir;

    private TopologyHarness start() {
        StreamModel model = TopologyHarness.sineModel(MODEL.name(), MODEL.version(), TopologyHarness.sineDensity());
        return new TopologyHarness(new TopologyHarness.SwappableCatalog(TopologyHarness.SINE, model), OPTIONS,
                stateDir);
    }

    @Test
    void duplicateAndOutOfOrderRecordsAreDeadLetteredAndLeaveTheHistoryAsItWas() {
        try (TopologyHarness harness = start()) {
            harness.sine("e1", T0, 1);              // 0
            harness.sine("e1", T0 + 1000, 2);       // 1
            harness.sine("e1", T0 + 1000, 2);       // 2: duplicate, while 0 and 1 are still parked
            harness.sine("e1", T0 + 500, 9);        // 3: older than the newest
            harness.sine("e2", T0 + 500, 9);        // 4: another entity's clock is its own
            harness.sine("e1", T0 + 2000, 3);       // 5
            harness.tick(Duration.ofMillis(5));

            assertEquals(List.of(
                    letter(2, TopologyHarness.sineEvent("e1", T0 + 1000, 2), T0 + 1000, DlqReason.DUPLICATE,
                            "entity 'e1' already has a record at event time " + (T0 + 1000)
                                    + " in stream 'test-sine'"),
                    letter(3, TopologyHarness.sineEvent("e1", T0 + 500, 9), T0 + 500, DlqReason.OUT_OF_ORDER,
                            "event time " + (T0 + 500) + " is before entity 'e1''s newest record at " + (T0 + 1000)
                                    + " in stream 'test-sine'")),
                    harness.deadLetters.readValuesToList());
            List<AnomalyDescriptor> scores = harness.scores.readValuesToList();
            assertEquals(List.of(0L, 1L, 4L, 5L), scores.stream().map(d -> d.source().offset()).toList());
            // Record 5's context is records 0 and 1: neither rejected record entered the history.
            EntityHistory e1 = harness.driver.<String, EntityHistory>getKeyValueStore(
                    ScoringTopology.EVENT_HISTORY_STORE).get("test-sine/e1");
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {2, 3}, e1.values());
            assertEquals(false, scores.get(3).warmingUp());
            assertEquals(1.0, harness.count(ExportedMetric.DLQ_RECORDS.micrometerName(), "reason", "DUPLICATE"));
            assertEquals(1.0, harness.count(ExportedMetric.DLQ_RECORDS.micrometerName(), "reason", "OUT_OF_ORDER"));
        }
    }

    @Test
    void nonFiniteAndAbsurdValuesAreDeadLetteredWithTheirOwnReasons() {
        try (TopologyHarness harness = start()) {
            byte[] nan = bytes("{\"entityId\":\"e1\",\"eventTime\":" + T0
                    + ",\"stream\":\"test-sine\",\"features\":{\"value\":NaN}}");
            byte[] infinity = bytes("{\"entityId\":\"e1\",\"eventTime\":" + T0
                    + ",\"stream\":\"test-sine\",\"features\":{\"value\":-Infinity}}");
            byte[] overflow = bytes("{\"entityId\":\"e1\",\"eventTime\":" + T0
                    + ",\"stream\":\"test-sine\",\"features\":{\"value\":1e400}}");
            byte[] beyondSchema = TopologyHarness.sineEvent("e1", T0, 1e300);
            byte[] absurd = TopologyHarness.sineEvent("e1", T0, 5e13);
            harness.pipeEvent("e1", nan, T0);
            harness.pipeEvent("e1", infinity, T0);
            harness.pipeEvent("e1", overflow, T0);
            harness.pipeEvent("e1", beyondSchema, T0);
            harness.pipeEvent("e1", absurd, T0);
            harness.sine("e1", T0, 0.5);
            harness.tick(Duration.ofMillis(5));

            List<DeadLetter> letters = harness.deadLetters.readValuesToList();
            assertEquals(List.of(contractRejection(nan, 0), contractRejection(infinity, 1),
                    contractRejection(overflow, 2), contractRejection(beyondSchema, 3),
                    letter(4, absurd, T0, DlqReason.OUT_OF_RANGE, "feature 'value' = 5.0E13 is beyond the plausible magnitude 1.0E12"
                                    + " (flowcast.scoring.max-abs-value)")), letters);
            assertEquals(List.of(DlqReason.MALFORMED_JSON, DlqReason.MALFORMED_JSON, DlqReason.NON_FINITE_VALUE,
                    DlqReason.SCHEMA_VIOLATION, DlqReason.OUT_OF_RANGE), letters.stream().map(DeadLetter::reason).toList());
            letters.forEach(letter -> TopologyHarness.assertMeetsContract(TopicNames.DLQ,
                    Topics.DLQ.valueSerde().serializer().serialize(TopicNames.DLQ, letter)));
            // The entity's first valid record is its first: it warms up as any first record does.
            assertEquals(List.of(AnomalyDescriptor.warmingUp("e1", T0, "test-sine",
                    new SourceRef(TopicNames.EVENTS, 0, 5), MODEL, null, NOW)), harness.scores.readValuesToList());
        }
    }

    @Test
    void afterALongSilenceAnEntityWarmsUpAgainUnderTheCurrentModel() {
        try (TopologyHarness harness = start()) {
            long late = T0 + 2000 + Duration.ofMinutes(11).toMillis();
            long[] times = {T0, T0 + 1000, T0 + 2000, late, late + 1000, late + 2000};
            for (int i = 0; i < times.length; i++) {
                harness.sine("e1", times[i], i);
            }
            harness.tick(Duration.ofMillis(5));
            List<AnomalyDescriptor> scores = harness.scores.readValuesToList();
            assertEquals(List.of(true, true, false, true, true, false),
                    scores.stream().map(AnomalyDescriptor::warmingUp).toList());
            assertTrue(scores.stream().allMatch(d -> MODEL.equals(d.model())));
            assertEquals(AnomalyDescriptor.warmingUp("e1", late, "test-sine", new SourceRef(TopicNames.EVENTS, 0, 3),
                    MODEL, null, NOW), scores.get(3));
            assertTrue(harness.deadLetters.isEmpty());
        }
    }

    private static DeadLetter letter(long offset, byte[] value, long timestamp, DlqReason reason, String detail) {
        return new DeadLetter(Base64.getEncoder().encodeToString(value),
                Base64.getEncoder().encodeToString(bytes("e1")), timestamp,
                new SourceRef(TopicNames.EVENTS, 0, offset), reason, detail, null, NOW);
    }

    private static DeadLetter contractRejection(byte[] value, long offset) {
        ValidationResult result = TopicContracts.shared().forTopic(TopicNames.EVENTS)
                .read(value, OPTIONS.maxRecordBytes()).result();
        return DeadLetter.of(bytes("e1"), value, T0, new SourceRef(TopicNames.EVENTS, 0, offset), result.reason(),
                result.describe(DeadLetter.MAX_DETAIL), result.violations().stream().map(Violation::toString)
                        .toList(), NOW);
    }
}
