package io.flowcast.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Raw-bytes behaviour of a contract: what a lenient JSON reader would let through must become a dead letter. */
class TopicContractTest {

    private static final int MAX = TopicContracts.DEFAULT_MAX_RECORD_BYTES;
    private static final String GOOD_EVENT =
            "{\"entityId\":\"m1\",\"eventTime\":1767225600000,\"stream\":\"s\",\"features\":{\"value\":1.5}}";

    private final TopicContract events = TopicContracts.shared().forTopic(TopicNames.EVENTS);

    @Test
    void aGoodRecordIsValidAndParsed() {
        CheckedRecord checked = read(GOOD_EVENT);
        assertTrue(checked.isValid());
        assertEquals(1.5, checked.value().path("features").path("value").doubleValue());
        assertSame(ValidationResult.valid(), checked.result(), "valid records share one result");
    }

    @Test
    void anEmptyPropertyNameIsAViolationNotACrash() {
        CheckedRecord feature = read(GOOD_EVENT.replace("\"features\":{", "\"features\":{\"\":2,"));
        assertEquals(DlqReason.SCHEMA_VIOLATION, feature.result().reason());
        assertEquals(List.of(new Violation("$.features", "propertyNames",
                "$.features: an empty property name is not allowed")), feature.result().violations());
        CheckedRecord topLevel = read(GOOD_EVENT.replace("{", "{\"\":2,"));
        assertEquals(DlqReason.SCHEMA_VIOLATION, topLevel.result().reason());
    }

    @Test
    void nonStandardNumberLiteralsAreMalformed() {
        for (String literal : List.of("NaN", "Infinity", "-Infinity", "+1")) {
            CheckedRecord checked = read(GOOD_EVENT.replace("1.5", literal));
            assertEquals(DlqReason.MALFORMED_JSON, checked.result().reason(), literal);
            assertNull(checked.value());
        }
    }

    @Test
    void numbersOverflowingADoubleAreNonFinite() {
        CheckedRecord overflow = read(GOOD_EVENT.replace("1.5", "1e400"));
        assertEquals(DlqReason.NON_FINITE_VALUE, overflow.result().reason());
        assertEquals("$.features.value", overflow.result().violations().get(0).location());

        CheckedRecord hugeInteger = read(GOOD_EVENT.replace("1.5", "1" + "0".repeat(400)));
        assertEquals(DlqReason.NON_FINITE_VALUE, hugeInteger.result().reason());
    }

    @Test
    void nonFiniteNumbersBuiltInCodeAreRejected() {
        ObjectNode record = (ObjectNode) read(GOOD_EVENT).value();
        ((ObjectNode) record.get("features")).put("value", Double.NaN);
        ValidationResult result = events.validate(record);
        assertEquals(DlqReason.NON_FINITE_VALUE, result.reason());
        assertEquals("finite", result.violations().get(0).rule());

        ((ObjectNode) record.get("features")).put("value", Float.POSITIVE_INFINITY);
        assertEquals(DlqReason.NON_FINITE_VALUE, events.validate(record).reason());

        ((ObjectNode) record.get("features")).put("value", new BigInteger("9".repeat(320)));
        assertEquals(DlqReason.NON_FINITE_VALUE, events.validate(record).reason());
    }

    @Test
    void ambiguousOrIncompleteJsonIsMalformed() {
        List<String> inputs = List.of(
                GOOD_EVENT.replace("\"stream\":\"s\"", "\"stream\":\"s\",\"stream\":\"t\""), // duplicate key
                GOOD_EVENT + " {}",                                                         // trailing document
                GOOD_EVENT.substring(0, GOOD_EVENT.length() - 2),                           // truncated
                GOOD_EVENT.replace('"', '\''),                                              // single quotes
                "/* c */" + GOOD_EVENT,                                                     // comment
                "   ");
        for (String input : inputs) {
            CheckedRecord checked = read(input);
            assertEquals(DlqReason.MALFORMED_JSON, checked.result().reason(), input);
            assertEquals("json", checked.result().violations().get(0).rule());
        }
    }

    @Test
    void emptyAndMissingValuesAndBadUtf8AreMalformed() {
        assertEquals(DlqReason.MALFORMED_JSON, events.read(null, MAX).result().reason());
        assertEquals(DlqReason.MALFORMED_JSON, events.read(new byte[0], MAX).result().reason());
        byte[] badUtf8 = GOOD_EVENT.replace("m1", "m\u00e9").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(DlqReason.MALFORMED_JSON, events.read(badUtf8, MAX).result().reason());
        assertEquals(DlqReason.SCHEMA_VIOLATION, events.validate(null).reason());
    }

    @Test
    void oversizedRecordsAreRefusedBeforeParsing() {
        byte[] bytes = GOOD_EVENT.getBytes(StandardCharsets.UTF_8);
        CheckedRecord checked = events.read(bytes, bytes.length - 1);
        assertEquals(DlqReason.OVERSIZED, checked.result().reason());
        assertNull(checked.value());
        assertTrue(events.read(bytes, bytes.length).isValid(), "the limit itself is allowed");
    }

    @Test
    void violationsAreCappedAndDescribedOnOneLine() {
        StringBuilder features = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            features.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":\"x\"");
        }
        ValidationResult result = read(GOOD_EVENT.replace("\"value\":1.5", features)).result();
        assertEquals(DlqReason.SCHEMA_VIOLATION, result.reason());
        assertEquals(ValidationResult.MAX_VIOLATIONS, result.violations().size());
        assertTrue(result.violationCount() >= 100);
        String line = result.describe(200);
        assertTrue(line.length() <= 200 && line.startsWith("SCHEMA_VIOLATION: $.features.f"), line);
        assertFalse(line.contains("\n"));
    }

    @Test
    void aLargestChunkPayloadValidatesWithoutDeepRegexRecursion() {
        byte[] artifact = new byte[512 * 1024];
        for (int i = 0; i < artifact.length; i++) {
            artifact[i] = (byte) (i * 31);
        }
        ObjectNode chunk = JsonNodeFactory.instance.objectNode()
                .put("kind", "CHUNK").put("name", "m").put("version", 1).put("chunkIndex", 0).put("chunkCount", 1)
                .put("payload", Base64.getEncoder().encodeToString(artifact));
        ValidationResult result = TopicContracts.shared().forTopic(TopicNames.MODELS).validate(chunk);
        assertTrue(result.isValid(), result::toString);
    }

    @Test
    void contractsAreCompiledOncePerJvm() {
        assertSame(TopicContracts.shared(), TopicContracts.shared());
        assertSame(events, TopicContracts.shared().forTopic(TopicNames.EVENTS));
        assertThrows(IllegalArgumentException.class, () -> TopicContracts.shared().forTopic("flowcast.unknown"));
    }

    @Test
    void oneContractServesManyThreads() throws Exception {
        String bad = GOOD_EVENT.replace("1.5", "\"x\"");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    int[] counts = new int[2];
                    for (int i = 0; i < 2_000; i++) {
                        counts[0] += read(GOOD_EVENT).isValid() ? 1 : 0;
                        counts[1] += read(bad).result().reason() == DlqReason.SCHEMA_VIOLATION ? 1 : 0;
                    }
                    return counts;
                }));
            }
            for (Future<int[]> future : futures) {
                int[] counts = future.get();
                assertEquals(2_000, counts[0]);
                assertEquals(2_000, counts[1]);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void validationCostIsPrinted() {
        // No timing assertion (the machine is shared and noisy); the figure goes to the test log.
        byte[] bytes = GOOD_EVENT.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 200_000; i++) { // long enough for the JIT to compile the path
            events.read(bytes, MAX);
        }
        int n = 100_000;
        long start = System.nanoTime();
        int valid = 0;
        for (int i = 0; i < n; i++) {
            valid += events.read(bytes, MAX).isValid() ? 1 : 0;
        }
        double micros = (System.nanoTime() - start) / 1e3 / n;
        assertEquals(n, valid);
        System.out.printf("contract read+validate of a flowcast.events record: %.2f us%n", micros);
    }

    private CheckedRecord read(String json) {
        return events.read(json.getBytes(StandardCharsets.UTF_8), MAX);
    }
}
