package io.flowcast.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every environment variable the deployment files set names a configuration key the service declares. It matters
 * beyond typos: MicroProfile Config maps FLOWCAST_SCORING_THRESHOLD to flowcast.scoring.threshold only for keys some
 * other source names, so pass-through keys (kafka-streams.*) set only in the environment are silently ignored.
 */
class ConfigKeysTest {

    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Path SOURCES = Path.of("src/main/java");
    /** Read by the image's launcher or by libraries, not by the application's configuration. */
    private static final Set<String> RUNTIME_VARIABLES = Set.of(
            "JAVA_MAX_MEM_RATIO", "JAVA_OPTS_APPEND", "DJL_CACHE_DIR", "QUARKUS_PROFILE", "NVIDIA_DRIVER_CAPABILITIES");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");

    @Test
    void everyVariableTheDeploymentsSetIsAKeyTheServiceDeclares() throws IOException {
        assumeTrue(Files.isRegularFile(PROPERTIES), "the service's application.properties is not on this branch yet");
        Set<String> exactKeys = new TreeSet<>();
        Set<String> mappingPrefixes = new TreeSet<>();
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(PROPERTIES)) {
            properties.load(reader);
        }
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("%")) { // profile-specific keys are not what a deployment overrides
                exactKeys.add(envName(key));
            }
        }
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                collect(CONFIG_PROPERTY, source, exactKeys);
                collect(CONFIG_MAPPING, source, mappingPrefixes);
            }
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> variable : deploymentVariables().entrySet()) {
            String name = variable.getKey();
            boolean known = exactKeys.contains(name) || RUNTIME_VARIABLES.contains(name)
                    || mappingPrefixes.stream().anyMatch(prefix -> name.startsWith(envName(prefix) + "_"));
            if (!known) {
                unknown.add(name + " (set in " + variable.getValue() + ")");
            }
        }
        assertTrue(unknown.isEmpty(), "variables that name no configuration key of the service: " + unknown);
    }

    @Test
    void theDeploymentsSetVariablesAtAll() {
        Map<String, String> variables = deploymentVariables();
        assertFalse(variables.isEmpty());
        assertTrue(variables.containsKey("KAFKA_BOOTSTRAP_SERVERS"));
        assertTrue(variables.containsKey("FLOWCAST_EXECUTION_PROVIDER"));
    }

    /** MicroProfile Config's environment form of a key: non-alphanumerics to '_', upper case. */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Variable name to the file that sets it, over the ConfigMap, the pod specs and the compose services. */
    private static Map<String, String> deploymentVariables() {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode resource : DeploymentFiles.resourcesOf(DeploymentFiles.K8S)) {
            String where = resource.path("kind").asText() + "/" + resource.path("metadata").path("name").asText();
            if (resource.path("kind").asText().equals("ConfigMap") && resource.path("metadata").path("name").asText().equals("flowcast-config")) {
                resource.path("data").fieldNames().forEachRemaining(name -> out.put(name, where));
            }
            for (JsonNode env : resource.findValues("env")) {
                env.forEach(e -> out.put(e.path("name").asText(), where));
            }
        }
        JsonNode gpuPatch = DeploymentFiles.yaml(DeploymentFiles.K8S.resolve("gpu/deployment-gpu.yaml"));
        gpuPatch.findValues("env").forEach(env -> env.forEach(e -> out.put(e.path("name").asText(), "k8s/gpu")));
        JsonNode services = DeploymentFiles.yaml(DeploymentFiles.COMPOSE).path("services");
        for (String service : List.of("flowcast", "retrainer")) {
            services.path(service).path("environment").fieldNames()
                    .forEachRemaining(name -> out.put(name, "docker-compose.yml/" + service));
        }
        return out;
    }

    private static void collect(Pattern pattern, String source, Set<String> into) {
        Matcher matcher = pattern.matcher(source);
        while (matcher.find()) {
            into.add(pattern == CONFIG_PROPERTY ? envName(matcher.group(1)) : matcher.group(1));
        }
    }
}
