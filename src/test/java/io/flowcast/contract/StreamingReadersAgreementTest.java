package io.flowcast.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The streaming readers of the input topics against the reference (tree + finite numbers + networknt): over every
 * example and counter-example in {@code schemas/examples} and over thousands of generated documents (valid ones,
 * then mutated: fields dropped, wrong types, extra properties, boundary and huge numbers, nesting, unicode and
 * control characters, duplicate keys, trailing data, broken bytes), both must give the same verdict, and on an
 * accepted record the streaming reader must read the same values the tree holds.
 */
class StreamingReadersAgreementTest {

    private static final int GENERATED = 4000;

    private final TopicContracts contracts = TopicContracts.shared();

    @Test
    void eventsAgreeOnExamples() throws IOException {
        for (byte[] document : examples(TopicNames.EVENTS)) {
            assertAgree(TopicNames.EVENTS, document, EventStreamingReader::readIfValid, this::sameEvent);
        }
    }

    @Test
    void trajectoriesAgreeOnExamples() throws IOException {
        for (byte[] document : examples(TopicNames.TRAJECTORIES)) {
            assertAgree(TopicNames.TRAJECTORIES, document, TrajectoryStreamingReader::readIfValid,
                    this::sameTrajectory);
        }
    }

    @Test
    void eventsAgreeOnGeneratedDocuments() {
        Random random = new Random(20261129L);
        int accepted = 0;
        for (int i = 0; i < GENERATED; i++) {
            byte[] document = DocumentMutator.mutate(DocumentMutator.event(random), random);
            if (assertAgree(TopicNames.EVENTS, document, EventStreamingReader::readIfValid, this::sameEvent)) {
                accepted++;
            }
        }
        assertBothVerdictsCovered(accepted);
    }

    @Test
    void trajectoriesAgreeOnGeneratedDocuments() {
        Random random = new Random(7L);
        int accepted = 0;
        for (int i = 0; i < GENERATED; i++) {
            byte[] document = DocumentMutator.mutate(DocumentMutator.trajectory(random), random);
            if (assertAgree(TopicNames.TRAJECTORIES, document, TrajectoryStreamingReader::readIfValid,
                    this::sameTrajectory)) {
                accepted++;
            }
        }
        assertBothVerdictsCovered(accepted);
    }

    /** A generator that only made valid (or only invalid) documents would test one direction. */
    private static void assertBothVerdictsCovered(int accepted) {
        assertTrue(accepted > GENERATED / 10 && accepted < GENERATED * 9 / 10,
                () -> accepted + " of " + GENERATED + " generated documents were valid");
    }

    /** Asserts equal verdicts (and equal values when valid); true when the document is valid. */
    private <T> boolean assertAgree(String topic, byte[] document, Function<byte[], T> streaming,
            ValueCheck<T> sameValues) {
        CheckedRecord reference = contracts.forTopic(topic).read(document, TopicContracts.DEFAULT_MAX_RECORD_BYTES);
        T fast = streaming.apply(document);
        String text = new String(document, StandardCharsets.UTF_8);
        if (reference.isValid() != (fast != null)) {
            fail(topic + ": reference says " + reference.result() + " but the streaming reader "
                    + (fast == null ? "refused" : "accepted " + fast) + ": " + text);
        }
        if (fast != null) {
            sameValues.check(fast, reference.value(), text);
        }
        return fast != null;
    }

    private void sameEvent(EventRecord record, JsonNode node, String text) {
        assertEquals(node.get("entityId").textValue(), record.entityId(), text);
        assertEquals(node.get("eventTime").longValue(), record.eventTime(), text);
        assertEquals(node.get("stream").textValue(), record.stream(), text);
        Map<String, Double> features = new LinkedHashMap<>();
        node.get("features").properties().forEach(e -> features.put(e.getKey(), e.getValue().doubleValue()));
        assertEquals(features, record.features(), text);
        assertEquals(List.copyOf(features.keySet()), List.copyOf(record.features().keySet()), text);
        assertEquals(attributes(node.get("attributes")), record.attributes(), text);
    }

    private void sameTrajectory(TrajectoryRecord record, JsonNode node, String text) {
        assertEquals(node.get("entityId").textValue(), record.entityId(), text);
        assertEquals(node.get("eventTime").longValue(), record.eventTime(), text);
        JsonNode stream = node.get("stream");
        assertEquals(stream == null ? null : stream.textValue(), record.stream(), text);
        assertEquals(node.get("position").get("x").doubleValue(), record.x(), text);
        assertEquals(node.get("position").get("y").doubleValue(), record.y(), text);
        assertEquals(attributes(node.get("attributes")), record.attributes(), text);
    }

    /** The topology's reading of attributes from the tree: text of every non-null value. */
    private static Map<String, String> attributes(JsonNode node) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (node != null) {
            node.properties().forEach(e -> {
                if (!e.getValue().isNull()) {
                    attributes.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return attributes;
    }

    private static List<byte[]> examples(String topic) throws IOException {
        List<byte[]> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(ContractExamplesTest.EXAMPLES.resolve(topic))) {
            for (Path file : files.sorted().toList()) {
                documents.add(Files.readAllBytes(file));
            }
        }
        assertTrue(documents.size() >= 7, "examples of " + topic);
        return documents;
    }

    @FunctionalInterface
    private interface ValueCheck<T> {
        void check(T record, JsonNode node, String text);
    }
}
