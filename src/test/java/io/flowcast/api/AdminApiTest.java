package io.flowcast.api;

import static io.flowcast.api.ApiTestSupport.STREAM;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowcast.embedded.KafkaBrokerResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The admin endpoints with a token configured and a registry wired: 401 without the token, delegation with it. */
@QuarkusTest
@TestProfile(AdminApiTest.WithAdminToken.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class AdminApiTest {

    static final String TOKEN = "test-only-admin-token-9f2c";

    public static class WithAdminToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("flowcast.api.admin-token", TOKEN);
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(RecordingModelControl.class);
        }
    }

    @Inject
    RecordingModelControl registry;

    @Test
    void refusesRequestsWithoutTheToken() {
        int before = registry.calls().size();
        given().contentType(ContentType.JSON).body("{\"version\":2}").post("/api/v1/models/" + STREAM + "/activate")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer realm=\"flowcast-admin\"")
                .contentType(Problem.MEDIA_TYPE).body("status", equalTo(401));
        given().header("Authorization", "Bearer " + TOKEN + "x").contentType(ContentType.JSON).body("{\"version\":2}")
                .post("/api/v1/models/" + STREAM + "/activate").then().statusCode(401);
        given().header("Authorization", "Basic " + TOKEN).post("/api/v1/models/" + STREAM + "/retrain").then()
                .statusCode(401);
        assertEquals(before, registry.calls().size(), "nothing reached the registry");
        // Reading stays open.
        given().get("/api/v1/models").then().statusCode(200);
    }

    @Test
    void activatesThroughTheRegistryWithTheToken() {
        given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON).body("{\"version\":2}")
                .post("/api/v1/models/" + STREAM + "/activate").then().statusCode(200)
                .body("model", equalTo(STREAM + ".flow")).body("version", equalTo(2)).body("serving", equalTo(true));
        given().header("Authorization", "bearer " + TOKEN).contentType(ContentType.JSON).body("{\"version\":7}")
                .post("/api/v1/models/" + STREAM + "/activate").then().statusCode(404)
                .body("type", equalTo("/problems/unknown-version"));
        given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON).body("{\"version\":3}")
                .post("/api/v1/models/" + STREAM + "/activate").then().statusCode(409)
                .body("type", equalTo("/problems/cannot-activate"));
        given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/models/" + STREAM + "/activate").then().statusCode(400);
        given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON).body("{\"version\":1}")
                .post("/api/v1/models/nobody/activate").then().statusCode(404)
                .body("type", equalTo("/problems/unknown-stream"));
        assertEquals(List.of("activate test-api v2", "activate test-api v7", "activate test-api v3"),
                registry.calls().stream().filter(c -> c.startsWith("activate")).toList());
    }

    @Test
    void startsOneRetrainAtATime() {
        given().header("Authorization", "Bearer " + TOKEN).queryParam("reason", "drift")
                .post("/api/v1/models/test-pair/retrain").then().statusCode(202)
                .body("stream", equalTo("test-pair")).body("runId", equalTo("run-1"));
        given().header("Authorization", "Bearer " + TOKEN).post("/api/v1/models/test-pair/retrain").then()
                .statusCode(409).body("type", equalTo("/problems/retrain-running"));
        assertEquals(List.of("retrain test-pair: drift", "retrain test-pair: requested via API"),
                registry.calls().stream().filter(c -> c.startsWith("retrain")).toList());
    }
}
