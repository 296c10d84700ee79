package io.flowcast.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the deployment files (k8s/, docker-compose.yml) as Jackson trees. */
final class DeploymentFiles {

    static final Path K8S = Path.of("k8s");
    static final Path COMPOSE = Path.of("docker-compose.yml");

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeploymentFiles() {
    }

    /** Every document of a YAML file (a file may hold several, separated by ---). */
    static List<JsonNode> yamlDocuments(Path file) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> out = new ArrayList<>();
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    out.add(doc);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    /** The single document of a YAML file. */
    static JsonNode yaml(Path file) {
        List<JsonNode> docs = yamlDocuments(file);
        if (docs.size() != 1) {
            throw new IllegalStateException(file + " holds " + docs.size() + " documents, expected one");
        }
        return docs.get(0);
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    /** Every YAML and JSON file under k8s/. */
    static List<Path> k8sFiles() {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Kubernetes resources a kustomization directory lists (its resources: entries that are files). */
    static List<JsonNode> resourcesOf(Path kustomizationDir) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode entry : yaml(kustomizationDir.resolve("kustomization.yaml")).path("resources")) {
            Path path = kustomizationDir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                out.addAll(resourcesOf(path));
            } else {
                out.addAll(yamlDocuments(path));
            }
        }
        return out;
    }

    static JsonNode resource(List<JsonNode> resources, String kind, String name) {
        return resources.stream()
                .filter(r -> kind.equals(r.path("kind").asText()) && name.equals(r.path("metadata").path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }
}
