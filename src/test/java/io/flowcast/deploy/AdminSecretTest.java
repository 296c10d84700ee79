package io.flowcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The admin token never lives in the repository: Kubernetes reads it from a Secret created out of band (optional,
 * so pods start without it and the admin API answers 403), compose from the operator's shell.
 */
class AdminSecretTest {

    private static final String VARIABLE = "FLOWCAST_API_ADMIN_TOKEN";

    @Test
    void kubernetesTakesTheTokenFromAnOptionalSecret() {
        List<JsonNode> settings = new ArrayList<>();
        for (JsonNode resource : DeploymentFiles.resourcesOf(DeploymentFiles.K8S)) {
            for (JsonNode env : resource.findValues("env")) {
                env.forEach(e -> {
                    if (e.path("name").asText().equals(VARIABLE)) {
                        settings.add(e);
                    }
                });
            }
            if (resource.path("kind").asText().equals("ConfigMap")) {
                assertTrue(!resource.path("data").has(VARIABLE), "the token must not be in a ConfigMap");
            }
        }
        assertEquals(1, settings.size(), "the scoring Deployment sets the token once");
        JsonNode setting = settings.get(0);
        assertTrue(setting.path("value").isMissingNode(), "no literal token value");
        JsonNode secret = setting.path("valueFrom").path("secretKeyRef");
        assertEquals("flowcast-admin", secret.path("name").asText());
        assertTrue(secret.path("optional").asBoolean(), "pods must start without the secret");
    }

    @Test
    void composeTakesTheTokenFromTheShell() {
        String value = DeploymentFiles.yaml(DeploymentFiles.COMPOSE).path("services").path("flowcast")
                .path("environment").path(VARIABLE).asText();
        assertEquals("${" + VARIABLE + ":-}", value);
    }
}
