package io.flowcast.api;

import static io.restassured.RestAssured.given;

import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Records and waits the API tests share. */
public final class ApiTestSupport {

    public static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Configured for tests only (application.properties): two features, u and v. */
    public static final String STREAM = "test-api";

    private ApiTestSupport() {
    }

    /** A flowcast.events record of the test stream. */
    public static String event(String entity, long eventTime, double u, double v) {
        return String.format(Locale.ROOT,
                "{\"entityId\":\"%s\",\"eventTime\":%d,\"stream\":\"%s\",\"features\":{\"u\":%s,\"v\":%s}}",
                entity, eventTime, STREAM, u, v);
    }

    /** A slow curve plus noise, the same for the same i (seeded), so the learned model is the same every run. */
    public static double u(int i) {
        return Math.sin(i / 4.0) + 0.1 * new java.util.Random(31L * i + 7).nextGaussian();
    }

    public static double v(int i) {
        return 0.5 * u(i) + 0.1 * new java.util.Random(31L * i + 11).nextGaussian();
    }

    /**
     * Makes sure the test stream serves a model: publishes enough records through the broker for the catalog's
     * first fit (test profile: window 2, 40 fit and 60 held-out records), then waits until the API says SERVING.
     */
    public static void ensureStreamServes() throws InterruptedException {
        if (!serving()) {
            String entity = "fit-" + System.nanoTime();
            long start = System.currentTimeMillis() - 200_000;
            List<byte[][]> records = new ArrayList<>();
            for (int i = 0; i < 130; i++) {
                records.add(new byte[][] {bytes(entity), bytes(event(entity, start + i * 1000L, u(i), v(i)))});
            }
            TestKafka.produce(TopicNames.EVENTS, records);
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!serving()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stream " + STREAM + " never got a model: "
                        + given().get("/api/v1/models/" + STREAM).asString());
            }
            Thread.sleep(250);
        }
    }

    public static void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (given().get("/q/health/ready").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not ready: " + given().get("/q/health/ready").asString());
            }
            Thread.sleep(200);
        }
    }

    private static boolean serving() {
        return "SERVING".equals(given().get("/api/v1/models/" + STREAM).then().extract().path("readiness"));
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
