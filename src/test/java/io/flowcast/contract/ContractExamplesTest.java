package io.flowcast.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example document under {@code schemas/examples/<topic>/} against its topic's contract. A counter-example is
 * named {@code invalid-<rule>-<what>.json}: it breaks exactly one rule, and the contract must reject it for that rule
 * ({@code finite} for non-finite numbers, otherwise the JSON Schema keyword).
 */
class ContractExamplesTest {

    static final Path EXAMPLES = Path.of("schemas", "examples");

    private final TopicContracts contracts = TopicContracts.shared();

    @TestFactory
    Stream<DynamicTest> everyValidExampleIsAccepted() {
        return examples("valid-").map(file -> DynamicTest.dynamicTest(label(file), () -> {
            CheckedRecord checked = check(file);
            assertTrue(checked.isValid(), () -> file + " should be valid but: " + checked.result());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyCounterExampleIsRejectedForItsRule() {
        return examples("invalid-").map(file -> DynamicTest.dynamicTest(label(file), () -> {
            String rule = file.getFileName().toString().split("-")[1];
            CheckedRecord checked = check(file);
            assertFalse(checked.isValid(), () -> file + " should be rejected");
            List<Violation> violations = checked.result().violations();
            assertTrue(violations.stream().anyMatch(v -> v.rule().equals(rule)),
                    () -> file + " should break rule '" + rule + "' but: " + violations);
            violations.forEach(v -> assertFalse(v.message().isBlank(), "violations are explained"));
            DlqReason expected = rule.equals("finite") ? DlqReason.NON_FINITE_VALUE : DlqReason.SCHEMA_VIOLATION;
            assertEquals(expected, checked.result().reason());
        }));
    }

    @Test
    void everyTopicHasExamplesAndCounterExamples() {
        for (String topic : TopicNames.ALL) {
            Path dir = EXAMPLES.resolve(topic);
            assertTrue(Files.isDirectory(dir), () -> "no examples for " + topic);
            assertTrue(count(dir, "valid-") >= 2, () -> topic + " needs at least two valid examples");
            assertTrue(count(dir, "invalid-") >= 5, () -> topic + " needs at least five counter-examples");
        }
    }

    private CheckedRecord check(Path file) throws IOException {
        String topic = file.getParent().getFileName().toString();
        return contracts.forTopic(topic).read(Files.readAllBytes(file), TopicContracts.DEFAULT_MAX_RECORD_BYTES);
    }

    private static Stream<Path> examples(String prefix) {
        try {
            return Files.walk(EXAMPLES).filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().startsWith(prefix)).sorted();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long count(Path dir, String prefix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String label(Path file) {
        return file.getParent().getFileName() + "/" + file.getFileName();
    }
}
