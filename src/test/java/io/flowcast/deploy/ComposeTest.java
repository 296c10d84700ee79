package io.flowcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, checked without a Docker engine: the services are there, every file it builds from or mounts
 * exists, and the monitoring wiring (scrape target, rule file, data source, dashboard) lines up.
 */
class ComposeTest {

    private final JsonNode compose = DeploymentFiles.yaml(DeploymentFiles.COMPOSE);
    private final JsonNode services = compose.path("services");

    @Test
    void theStackHasItsServices() {
        for (String name : List.of("kafka", "flowcast", "retrainer", "prometheus", "grafana")) {
            assertTrue(services.has(name), "missing service " + name);
            assertFalse(services.path(name).path("image").asText().isBlank(), name + " needs an image");
        }
    }

    @Test
    void kafkaRunsInKraftModeWithExactlyOnceSettings() {
        JsonNode kafka = services.path("kafka");
        assertTrue(kafka.path("image").asText().startsWith("apache/kafka:4.1."), kafka.path("image").asText());
        Map<String, String> env = env(kafka);
        assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"));
        assertFalse(env.getOrDefault("CLUSTER_ID", "").isBlank(), "KRaft needs a cluster id");
        // exactly_once_v2 needs the transaction log; on one broker its replication must be 1 or transactions hang.
        assertEquals("1", env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"));
        assertEquals("1", env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"));
        assertTrue(env.get("KAFKA_ADVERTISED_LISTENERS").contains("kafka:9092"));
    }

    @Test
    void theServiceAndRetrainerShareOneImageBuiltFromTheJvmDockerfile() throws IOException {
        JsonNode flowcast = services.path("flowcast");
        JsonNode retrainer = services.path("retrainer");
        assertEquals(flowcast.path("image"), retrainer.path("image"));
        for (JsonNode service : List.of(flowcast, retrainer)) {
            Path context = Path.of(service.path("build").path("context").asText());
            Path dockerfile = context.resolve(service.path("build").path("dockerfile").asText());
            assertTrue(Files.isRegularFile(dockerfile), dockerfile.toString());
            String text = Files.readString(dockerfile);
            assertTrue(text.contains("target/quarkus-app/"), "the image is built from the Quarkus fast-jar");
            assertEquals("kafka:9092", env(service).get("KAFKA_BOOTSTRAP_SERVERS"));
            assertEquals("service_healthy", service.path("depends_on").path("kafka").path("condition").asText());
        }
        assertTrue(retrainer.path("command").toString().contains("retrain"));
        assertEquals("retrain", env(retrainer).get("QUARKUS_PROFILE"));
        String ignore = Files.readString(Path.of(".dockerignore"));
        assertTrue(ignore.contains("!target/quarkus-app/"), ".dockerignore must let the packaged app into the context");
        assertTrue(services.path("flowcast").path("healthcheck").toString().contains("/q/health/ready"));
    }

    @Test
    void everyBindMountedFileExists() {
        int mounts = 0;
        for (Map.Entry<String, JsonNode> service : services.properties()) {
            for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith("./")) {
                    assertTrue(Files.exists(Path.of(source)), service.getKey() + " mounts missing " + source);
                    mounts++;
                } else {
                    assertTrue(compose.path("volumes").has(source), service.getKey() + " uses undeclared volume " + source);
                }
            }
        }
        assertTrue(mounts >= 5, "prometheus and grafana read their files from the repository");
    }

    @Test
    void prometheusScrapesTheServiceAndLoadsTheSharedRules() {
        Map<String, String> mounts = mounts(services.path("prometheus"));
        Path config = Path.of(mounts.get("/etc/prometheus/prometheus.yml"));
        JsonNode prometheus = DeploymentFiles.yaml(config);
        for (JsonNode ruleFile : prometheus.path("rule_files")) {
            String mounted = mounts.get(ruleFile.asText());
            assertTrue(mounted != null && Files.isRegularFile(Path.of(mounted)), "rule file not mounted: " + ruleFile);
            assertEquals(Path.of("k8s/monitoring/flowcast-rules.yml"), Path.of(mounted).normalize(),
                    "compose must load the same rules as Kubernetes");
        }
        JsonNode job = prometheus.path("scrape_configs").get(0);
        // The rules select job="flowcast", as the ServiceMonitor names the job on Kubernetes.
        assertEquals("flowcast", job.path("job_name").asText());
        assertEquals("/q/metrics", job.path("metrics_path").asText());
        String target = job.path("static_configs").get(0).path("targets").get(0).asText();
        assertTrue(services.has(target.split(":")[0]), target);
        assertTrue(services.path("flowcast").path("ports").toString().contains(target.split(":")[1]));
    }

    @Test
    void grafanaGetsTheDataSourceAndTheSharedDashboard() {
        Map<String, String> mounts = mounts(services.path("grafana"));
        Path datasources = Path.of(mounts.get("/etc/grafana/provisioning/datasources"));
        JsonNode source = DeploymentFiles.yaml(datasources.resolve("prometheus.yml")).path("datasources").get(0);
        assertEquals("prometheus", source.path("type").asText());
        assertTrue(source.path("url").asText().startsWith("http://prometheus:"), "the compose service name");
        Path providers = Path.of(mounts.get("/etc/grafana/provisioning/dashboards"));
        String dashboardsDir = DeploymentFiles.yaml(providers.resolve("flowcast.yml")).path("providers").get(0)
                .path("options").path("path").asText();
        String dashboard = mounts.get(dashboardsDir + "/flowcast-dashboard.json");
        assertEquals(Path.of("k8s/monitoring/flowcast-dashboard.json"), Path.of(dashboard).normalize());
    }

    private static Map<String, String> env(JsonNode service) {
        Map<String, String> env = new HashMap<>();
        service.path("environment").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    /** Container path to host path of a service's bind mounts. */
    private static Map<String, String> mounts(JsonNode service) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode volume : service.path("volumes")) {
            String[] parts = volume.asText().split(":");
            if (parts[0].startsWith("./")) {
                out.put(parts[1], parts[0]);
            }
        }
        return out;
    }
}
