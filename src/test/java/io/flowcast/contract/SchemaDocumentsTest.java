package io.flowcast.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The schema documents themselves: valid draft 2020-12, self-describing, and in step with the Java side. */
class SchemaDocumentsTest {

    private static final Path SCHEMAS = Path.of("schemas");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everySchemaIsValidDraft202012WithItsOwnId() throws IOException {
        JsonSchema metaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        for (Path file : schemaFiles()) {
            JsonNode schema = JSON.readTree(file.toFile());
            Set<ValidationMessage> problems = metaSchema.validate(schema);
            assertTrue(problems.isEmpty(), () -> file + " is not a valid 2020-12 schema: " + problems);
            assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").asText(), file.toString());
            assertEquals(TopicContracts.SCHEMA_BASE_IRI + file.getFileName(), schema.path("$id").asText(),
                    "the $id names the file, so $refs resolve on the classpath");
            assertTrue(schema.hasNonNull("title") && schema.hasNonNull("description"), () -> file + " needs a title and description");
        }
    }

    @Test
    void everyTopicHasASchemaFile() {
        for (String topic : TopicNames.ALL) {
            assertTrue(Files.isRegularFile(SCHEMAS.resolve(topic + ".schema.json")), () -> "no schema for " + topic);
        }
    }

    @Test
    void everyFieldIsDescribed() throws IOException {
        List<String> undescribed = new ArrayList<>();
        for (Path file : schemaFiles()) {
            collectUndescribed(JSON.readTree(file.toFile()), file.getFileName().toString(), undescribed);
        }
        assertTrue(undescribed.isEmpty(), () -> "fields without a description: " + undescribed);
    }

    @Test
    void everyObjectDecidesOnAdditionalProperties() throws IOException {
        // Closed or open must be a decision: an object with named properties states additionalProperties.
        List<String> undecided = new ArrayList<>();
        for (Path file : schemaFiles()) {
            collectUndecided(JSON.readTree(file.toFile()), file.getFileName().toString(), undecided);
        }
        // The registry record is a union closed per kind (each $defs entry is closed), so its root stays open.
        undecided.remove("flowcast.models.schema.json");
        assertTrue(undecided.isEmpty(), () -> "objects without an additionalProperties decision: " + undecided);
    }

    @Test
    void deadLetterReasonsMatchTheDlqContract() throws IOException {
        JsonNode reasons = JSON.readTree(SCHEMAS.resolve("flowcast.dlq.schema.json").toFile())
                .path("properties").path("reason").path("enum");
        Set<String> inSchema = new LinkedHashSet<>();
        reasons.forEach(r -> inSchema.add(r.asText()));
        Set<String> inJava = Arrays.stream(DlqReason.values()).map(Enum::name).collect(Collectors.toCollection(LinkedHashSet::new));
        assertEquals(inJava, inSchema);
    }

    private static void collectUndescribed(JsonNode schema, String path, List<String> out) {
        if (!schema.isObject()) {
            return;
        }
        for (String container : List.of("properties", "$defs")) {
            for (Map.Entry<String, JsonNode> field : schema.path(container).properties()) {
                String fieldPath = path + "/" + container + "/" + field.getKey();
                if (!field.getValue().hasNonNull("description")) {
                    out.add(fieldPath);
                }
                collectUndescribed(field.getValue(), fieldPath, out);
            }
        }
        // if/then branches restate fields already described where they are declared, so they are not walked.
        for (String nested : List.of("items", "additionalProperties")) {
            collectUndescribed(schema.path(nested), path + "/" + nested, out);
        }
    }

    private static void collectUndecided(JsonNode schema, String path, List<String> out) {
        if (!schema.isObject()) {
            return;
        }
        if (schema.has("properties") && !schema.has("additionalProperties") && !isConditional(path)) {
            out.add(path);
        }
        for (String container : List.of("properties", "$defs")) {
            for (Map.Entry<String, JsonNode> field : schema.path(container).properties()) {
                collectUndecided(field.getValue(), path + "/" + container + "/" + field.getKey(), out);
            }
        }
        collectUndecided(schema.path("items"), path + "/items", out);
    }

    // if/then branches only add constraints to an object already closed by its parent.
    private static boolean isConditional(String path) {
        return path.contains("/allOf");
    }

    private static List<Path> schemaFiles() throws IOException {
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".schema.json")).sorted().toList();
        }
    }
}
