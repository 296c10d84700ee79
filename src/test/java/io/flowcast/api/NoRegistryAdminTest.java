package io.flowcast.api;

import static io.flowcast.api.ApiTestSupport.STREAM;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowcast.embedded.KafkaBrokerResource;
import io.flowcast.serving.ModelControl;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With a token but no model registry in the service, the admin operations say so: 501, not a 500 or a silent 200. */
@QuarkusTest
@TestProfile(NoRegistryAdminTest.WithTokenOnly.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class NoRegistryAdminTest {

    public static class WithTokenOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("flowcast.api.admin-token", AdminApiTest.TOKEN);
        }
    }

    @Inject
    Instance<ModelControl> registry;

    @Test
    void adminOperationsAnswerNotImplementedWithoutARegistry() {
        assumeTrue(registry.isUnsatisfied(), "this service wires a model registry: AdminApiTest covers delegation");
        given().header("Authorization", "Bearer " + AdminApiTest.TOKEN).contentType(ContentType.JSON)
                .body("{\"version\":1}").post("/api/v1/models/" + STREAM + "/activate").then().statusCode(501)
                .contentType(Problem.MEDIA_TYPE).body("type", equalTo("/problems/no-registry"));
        given().header("Authorization", "Bearer " + AdminApiTest.TOKEN).post("/api/v1/models/" + STREAM + "/retrain")
                .then().statusCode(501).body("status", equalTo(501));
        // The token is still checked first.
        given().post("/api/v1/models/" + STREAM + "/retrain").then().statusCode(401);
    }
}
