package io.flowcast.deploy;

import static io.flowcast.deploy.DeploymentFiles.K8S;
import static io.flowcast.deploy.DeploymentFiles.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowcast.contract.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests, checked without a cluster: everything parses, the kustomizations name files that exist,
 * the kinds an operator needs are there, and the pieces point at each other (probes at real health paths, selectors
 * at the pods, the autoscaler at the consumer group, the GPU variant at a GPU).
 */
class KubernetesManifestsTest {

    private static final Set<String> HEALTH_PATHS = Set.of("/q/health/live", "/q/health/ready", "/q/health/started");

    private final List<JsonNode> resources = DeploymentFiles.resourcesOf(K8S);

    @Test
    void everyFileUnderK8sParses() {
        List<Path> files = DeploymentFiles.k8sFiles();
        assertTrue(files.size() >= 10, "found " + files);
        for (Path file : files) {
            if (file.toString().endsWith(".json")) {
                assertTrue(DeploymentFiles.json(file).isObject(), file.toString());
            } else {
                assertFalse(DeploymentFiles.yamlDocuments(file).isEmpty(), file + " is empty");
            }
        }
    }

    @Test
    void kustomizationsReferenceExistingFilesAndEveryManifestIsListed() {
        Set<Path> listed = new HashSet<>();
        for (Path kustomization : List.of(K8S, K8S.resolve("base"), K8S.resolve("monitoring"), K8S.resolve("gpu"))) {
            JsonNode k = DeploymentFiles.yaml(kustomization.resolve("kustomization.yaml"));
            assertEquals("Kustomization", k.path("kind").asText());
            for (JsonNode entry : k.path("resources")) {
                Path path = kustomization.resolve(entry.asText()).normalize();
                assertTrue(Files.exists(path), kustomization + " lists missing " + path);
                listed.add(path);
            }
            for (JsonNode generator : k.path("configMapGenerator")) {
                generator.path("files").forEach(f -> assertTrue(Files.isRegularFile(kustomization.resolve(f.asText())), f.asText()));
            }
            for (JsonNode patch : k.path("patches")) {
                if (patch.has("path")) {
                    assertTrue(Files.isRegularFile(kustomization.resolve(patch.path("path").asText())), patch.toString());
                }
            }
        }
        // A manifest nobody lists would silently not be applied.
        for (Path file : DeploymentFiles.k8sFiles()) {
            JsonNode first = file.toString().endsWith(".json") ? null : DeploymentFiles.yamlDocuments(file).get(0);
            boolean isResource = first != null && first.has("apiVersion") && first.has("metadata")
                    && !file.getParent().endsWith("gpu");
            if (isResource) {
                assertTrue(listed.contains(file.normalize()), file + " is a manifest no kustomization lists");
            }
        }
    }

    @Test
    void theKindsAnOperatorNeedsArePresent() {
        Set<String> kinds = resources.stream().map(r -> r.path("kind").asText()).collect(Collectors.toCollection(TreeSet::new));
        for (String kind : List.of("Namespace", "ConfigMap", "Deployment", "Service", "CronJob", "PodDisruptionBudget",
                "ScaledObject", "ServiceMonitor", "PrometheusRule")) {
            assertTrue(kinds.contains(kind), "missing " + kind + "; have " + kinds);
        }
    }

    @Test
    void probesPointAtTheRealHealthEndpoints() {
        JsonNode container = scoringContainer();
        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            if (!get.isMissingNode()) {
                assertTrue(HEALTH_PATHS.contains(get.path("path").asText()), probe + " -> " + get);
                assertEquals("http", get.path("port").asText(), probe + " must use the named container port");
            }
        }
        assertTrue(container.path("ports").findValuesAsText("name").contains("http"));
        assertEquals(8080, container.path("ports").get(0).path("containerPort").asInt());
    }

    @Test
    void selectorsAndReferencesMeetThePods() {
        JsonNode deployment = resource(resources, "Deployment", "flowcast");
        JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
        assertEquals(deployment.path("spec").path("selector").path("matchLabels"), subset(podLabels, deployment.path("spec").path("selector").path("matchLabels")));

        JsonNode service = resource(resources, "Service", "flowcast");
        assertEquals(service.path("spec").path("selector"), subset(podLabels, service.path("spec").path("selector")));
        assertEquals("http", service.path("spec").path("ports").get(0).path("targetPort").asText());
        assertEquals("http", service.path("spec").path("ports").get(0).path("name").asText());

        JsonNode pdb = resource(resources, "PodDisruptionBudget", "flowcast");
        JsonNode pdbSelector = pdb.path("spec").path("selector").path("matchLabels");
        assertEquals(pdbSelector, subset(podLabels, pdbSelector));

        JsonNode monitor = resource(resources, "ServiceMonitor", "flowcast");
        JsonNode monitorSelector = monitor.path("spec").path("selector").path("matchLabels");
        assertEquals(monitorSelector, subset(service.path("metadata").path("labels"), monitorSelector));
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertEquals("/q/metrics", endpoint.path("path").asText());
        assertEquals("http", endpoint.path("port").asText());

        JsonNode container = scoringContainer();
        assertEquals("flowcast-config", container.path("envFrom").get(0).path("configMapRef").path("name").asText());
        resource(resources, "ConfigMap", "flowcast-config");
    }

    @Test
    void eachPodAdvertisesItsOwnAddressForEntityLookups() {
        // Kafka Streams' application.server is built from it (application.properties): a shared value would make
        // every pod believe it is every other pod, and a missing one would leave lookups unforwardable.
        JsonNode advertised = null;
        for (JsonNode variable : scoringContainer().path("env")) {
            if (variable.path("name").asText().equals("FLOWCAST_API_ADVERTISED_HOST")) {
                advertised = variable;
            }
        }
        assertTrue(advertised != null, "the scoring container does not set FLOWCAST_API_ADVERTISED_HOST");
        assertEquals("status.podIP", advertised.path("valueFrom").path("fieldRef").path("fieldPath").asText());
        assertFalse(configMap().containsKey("FLOWCAST_API_ADVERTISED_HOST"), "one value for every pod");
    }

    @Test
    void theAutoscalerWatchesTheServiceConsumerGroupOnTheInputTopics() {
        JsonNode scaled = resource(resources, "ScaledObject", "flowcast");
        assertEquals("flowcast", scaled.path("spec").path("scaleTargetRef").path("name").asText());
        Map<String, String> config = configMap();
        Set<String> topics = new TreeSet<>();
        for (JsonNode trigger : scaled.path("spec").path("triggers")) {
            assertEquals("kafka", trigger.path("type").asText());
            JsonNode metadata = trigger.path("metadata");
            assertEquals(config.get("QUARKUS_KAFKA_STREAMS_APPLICATION_ID"), metadata.path("consumerGroup").asText(),
                    "Kafka Streams' consumer group is its application id");
            assertTrue(metadata.path("lagThreshold").asLong() > 0);
            topics.add(metadata.path("topic").asText());
        }
        assertEquals(new TreeSet<>(TopicNames.INPUTS), topics);
        assertTrue(scaled.path("spec").path("minReplicaCount").asInt() >= 1);
        assertTrue(scaled.path("spec").path("maxReplicaCount").asInt()
                <= Integer.parseInt(config.get("FLOWCAST_TOPICS_PARTITIONS")), "replicas beyond the partitions sit idle");
    }

    @Test
    void theRetrainerRunsTheRetrainEntryPointFromTheSameImageAndConfig() {
        JsonNode cronJob = resource(resources, "CronJob", "flowcast-retrainer");
        assertEquals("Forbid", cronJob.path("spec").path("concurrencyPolicy").asText(), "two retrains must not race");
        JsonNode container = cronJob.path("spec").path("jobTemplate").path("spec").path("template").path("spec")
                .path("containers").get(0);
        assertEquals(scoringContainer().path("image").asText(), container.path("image").asText());
        assertTrue(container.path("args").toString().contains("retrain"));
        assertEquals("flowcast-config", container.path("envFrom").get(0).path("configMapRef").path("name").asText());
    }

    @Test
    void theGpuVariantRequestsAGpuAndTheCudaProvider() {
        Path gpu = K8S.resolve("gpu");
        JsonNode kustomization = DeploymentFiles.yaml(gpu.resolve("kustomization.yaml"));
        assertTrue(kustomization.path("patches").findValuesAsText("path").contains("deployment-gpu.yaml"));
        JsonNode patch = DeploymentFiles.yaml(gpu.resolve("deployment-gpu.yaml"));
        assertEquals("Deployment", patch.path("kind").asText());
        assertEquals("flowcast", patch.path("metadata").path("name").asText(), "the patch must hit the scoring Deployment");
        JsonNode pod = patch.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertEquals("flowcast", container.path("name").asText());
        assertEquals(1, container.path("resources").path("limits").path("nvidia.com/gpu").asInt());
        assertFalse(pod.path("nodeSelector").isEmpty(), "GPU pods need a node selector");
        assertTrue(pod.path("tolerations").findValuesAsText("key").contains("nvidia.com/gpu"));
        Map<String, String> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        assertEquals("cuda", env.get("FLOWCAST_EXECUTION_PROVIDER"));
    }

    private JsonNode scoringContainer() {
        JsonNode deployment = resource(resources, "Deployment", "flowcast");
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals("flowcast", container.path("name").asText());
        return container;
    }

    private Map<String, String> configMap() {
        Map<String, String> out = new HashMap<>();
        resource(resources, "ConfigMap", "flowcast-config").path("data").properties()
                .forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The entries of {@code labels} whose keys are in {@code selector}: equal to the selector when it matches. */
    private static JsonNode subset(JsonNode labels, JsonNode selector) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        selector.fieldNames().forEachRemaining(key -> {
            if (labels.has(key)) {
                out.set(key, labels.get(key));
            }
        });
        assertFalse(selector.isEmpty(), "empty selector");
        return out;
    }
}
