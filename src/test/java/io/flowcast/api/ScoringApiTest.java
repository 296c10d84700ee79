package io.flowcast.api;

import static io.flowcast.api.ApiTestSupport.STREAM;
import static io.flowcast.api.ApiTestSupport.event;
import static io.flowcast.api.ApiTestSupport.u;
import static io.flowcast.api.ApiTestSupport.v;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.embedded.KafkaBrokerResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API against the running service: synchronous scoring with the stream's real (learned) model, the
 * problem documents of bad requests, model listing, the execution provider, the admin guard with no token
 * configured, and the OpenAPI document.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class ScoringApiTest {

    @BeforeEach
    void ready() throws InterruptedException {
        ApiTestSupport.awaitReady();
    }

    @Test
    void scoresABatchWithTheServingModelAndFlagsTheOutlier() throws InterruptedException {
        ApiTestSupport.ensureStreamServes();
        long t0 = System.currentTimeMillis() - 10_000;
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            records.add(event("api-entity", t0 + i * 1000L, u(i), v(i)));
        }
        records.add(event("api-entity", t0 + 6000L, 25.0, -40.0)); // far off the curve

        JsonPath scores = given().contentType(ContentType.JSON).body("[" + String.join(",", records) + "]")
                .post("/api/v1/score/events").then().statusCode(200).extract().jsonPath();

        assertEquals(7, scores.getList("$").size());
        for (int i = 0; i < 7; i++) {
            String at = "[" + i + "]";
            assertEquals(i, scores.getInt(at + ".source.offset"), "in request order");
            assertEquals("flowcast.events", scores.getString(at + ".source.topic"));
            // Window 2: the entity's first two records only build context.
            assertEquals(i < 2, scores.getBoolean(at + ".warmingUp"), "record " + i);
        }
        for (int i = 2; i < 6; i++) {
            String at = "[" + i + "]";
            assertEquals(STREAM + ".linear-gaussian", scores.getString(at + ".model.name"));
            assertFalse(scores.getBoolean(at + ".anomalous"), "an ordinary record, " + scores.getString(at));
        }
        assertTrue(scores.getBoolean("[6].anomalous"), scores.getString("[6]"));
        assertTrue(scores.getDouble("[6].tailProbability") <= scores.getDouble("[6].threshold"));
        assertEquals(2, scores.getList("[6].attribution").size());
    }

    @Test
    void refusesTheWholeBatchListingEveryBadRecord() {
        String good = event("e", 1_000, 0.1, 0.2);
        String schemaViolation = "{\"entityId\":\"e\",\"eventTime\":-5,\"stream\":\"" + STREAM
                + "\",\"features\":{\"u\":1,\"v\":2}}";
        String unknownStream = "{\"entityId\":\"e\",\"eventTime\":5,\"stream\":\"nobody\",\"features\":{\"u\":1}}";
        String missingFeature = "{\"entityId\":\"e\",\"eventTime\":6,\"stream\":\"" + STREAM
                + "\",\"features\":{\"u\":1}}";

        given().contentType(ContentType.JSON)
                .body("[" + good + "," + schemaViolation + "," + unknownStream + "," + missingFeature + "]")
                .post("/api/v1/score/events").then().statusCode(422)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(422))
                .body("type", equalTo("/problems/invalid-records"))
                .body("errors.index", equalTo(List.of(1, 2, 3)))
                .body("errors.reason", equalTo(List.of("SCHEMA_VIOLATION", "UNKNOWN_STREAM", "MISSING_FEATURE")))
                .body("errors[0].violations", hasSize(1));
    }

    @Test
    void answersBadRequestsWithProblemDocuments() {
        given().contentType(ContentType.JSON).body("[{\"entityId\":").post("/api/v1/score/events").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("type", equalTo("/problems/malformed-json"));
        given().contentType(ContentType.JSON).body("{\"entityId\":\"e\"}").post("/api/v1/score/events").then()
                .statusCode(400).body("type", equalTo("/problems/not-an-array"));
        given().contentType(ContentType.JSON).body("[]").post("/api/v1/score/events").then()
                .statusCode(400).body("type", equalTo("/problems/empty-batch"));
        given().contentType(ContentType.JSON).body("[" + event("e", 1, 0, 0) + "]").post("/api/v1/score/planets")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE).body("type", equalTo("/problems/unknown-topic"));
        // The test profile allows 50 records per request.
        String tooMany = "[" + String.join(",", java.util.Collections.nCopies(51, event("e", 1, 0, 0))) + "]";
        given().contentType(ContentType.JSON).body(tooMany).post("/api/v1/score/events").then()
                .statusCode(413).contentType(Problem.MEDIA_TYPE).body("type", equalTo("/problems/batch-too-large"));
        String huge = "[\"" + "x".repeat(4_194_304) + "\"]";
        given().contentType(ContentType.JSON).body(huge).post("/api/v1/score/events").then()
                .statusCode(413).body("type", equalTo("/problems/body-too-large"));
        // Trajectories go through their own contract.
        given().contentType(ContentType.JSON).body("[{\"entityId\":\"a\",\"eventTime\":1,\"position\":{\"x\":1}}]")
                .post("/api/v1/score/trajectories").then().statusCode(422)
                .body("errors[0].reason", equalTo("SCHEMA_VIOLATION"));
    }

    @Test
    void listsModelsWithTheirMetrics() throws InterruptedException {
        ApiTestSupport.ensureStreamServes();
        given().get("/api/v1/models").then().statusCode(200)
                .body("stream", hasItem(STREAM))
                .body("find { it.stream == 'test-api' }.features", equalTo(List.of("u", "v")))
                .body("find { it.stream == 'test-api' }.readiness", equalTo("SERVING"))
                .body("find { it.stream == 'test-api' }.provider", equalTo("jvm"));
        JsonPath version = given().get("/api/v1/models/" + STREAM).then().statusCode(200).extract().jsonPath()
                .setRootPath("versions[0]");
        assertEquals(STREAM + ".linear-gaussian", version.getString("model"));
        assertEquals(1, version.getInt("version"));
        assertTrue(version.getBoolean("serving"));
        assertTrue(Double.isFinite(version.getDouble("metrics.validationNll")));
        assertEquals(60.0, version.getDouble("metrics.heldOutRecords"));
        assertEquals(List.of(), version.getList("timeFeatures"), "test-api is configured without time features");
        assertFalse(version.getString("createdAt").isBlank());
        given().get("/api/v1/models/nobody").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void reportsTheExecutionProviders() throws InterruptedException {
        ApiTestSupport.ensureStreamServes();
        given().get("/api/v1/execution-provider").then().statusCode(200)
                .body("configured", equalTo("auto"))
                .body("inUse", hasItem("jvm"))
                .body("models.find { it.stream == 'test-api' }.provider", equalTo("jvm"));
    }

    @Test
    void adminEndpointsAreOffWithoutAConfiguredToken() {
        given().contentType(ContentType.JSON).body("{\"version\":1}").post("/api/v1/models/" + STREAM + "/activate")
                .then().statusCode(403).contentType(Problem.MEDIA_TYPE).body("type", equalTo("/problems/admin-disabled"));
        given().header("Authorization", "Bearer guess").post("/api/v1/models/" + STREAM + "/retrain")
                .then().statusCode(403);
    }

    @Test
    void servesTheOpenApiDocument() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("openapi", startsWith("3."))
                .body("paths.keySet()", hasItem("/api/v1/score/{topic}"))
                .body("paths.keySet()", hasItem("/api/v1/models/{stream}/activate"))
                .body("paths.keySet()", hasItem("/api/v1/entities/{stream}/{entityId}"))
                .body("paths.'/api/v1/entities/{stream}/{entityId}'.get.responses.keySet()",
                        hasItems("200", "404", "503"))
                .body("components.securitySchemes.admin.scheme", equalTo("bearer"));
        given().get("/q/openapi").then().body(containsString("Flowcast API"));
    }
}
