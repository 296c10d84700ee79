package io.flowcast.api.live;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowcast.api.ApiTestSupport;
import io.flowcast.contract.TopicContracts;
import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.KafkaBrokerResource;
import io.flowcast.embedded.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The live dashboard in Debian's headless Chromium, fed end to end through the real broker and the real topology:
 * agents' positions go to flowcast.trajectories, and the topology publishes their scores and forecasts; an anomalous
 * reading injected on flowcast.events opens an alert episode on flowcast.alerts. The page must show the agents, the
 * selected one's score timeline, forecast and density heat map, and the alert while it is open. (One forecast with a
 * density grid is published by the test, as the flow-chain forecaster will publish them.) Screenshot:
 * target/dashboard/dashboard.png.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class DashboardBrowserTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String RUN = Long.toString(System.nanoTime() % 100_000);

    @TestHTTPResource("/")
    URL page;

    @Inject
    LiveFeed feed;

    @Test
    void showsAgentsTheirForecastAndAnInjectedAnomalyAsAnAlert() throws Exception {
        String chromium = HeadlessChromium.binary();
        assumeTrue(chromium != null, "no Chromium here: apt-get install -y chromium (.ci/run does)");
        awaitFeedAssigned();
        ApiTestSupport.ensureStreamServes();
        long t0 = System.currentTimeMillis() - 60_000;
        List<String> agents = List.of("walker-a" + RUN, "walker-b" + RUN, "walker-c" + RUN);
        publishWalks(agents, t0, 0, 30);

        try (HeadlessChromium browser = new HeadlessChromium(chromium, 1400, 1100)) {
            browser.navigate(page.toString(), TIMEOUT);
            browser.waitFor("document.getElementById('status').textContent", v -> v.asText().equals("live"), TIMEOUT);
            JsonNode shown = browser.waitFor(
                    "[...document.querySelectorAll('#agents .agent')].map(li => li.dataset.entity)",
                    v -> agents.stream().allMatch(a -> v.toString().contains("pedestrians/" + a)), TIMEOUT);
            assertTrue(shown.size() >= 3, shown.toString());

            // Scores come from the real topology (flowcast.scores): the walks go on until the stream's first model
            // is fitted (100 records after each agent's window of 4) and scores the rest; the timeline fills.
            publishWalks(agents, t0, 30, 25);
            browser.evaluate("document.querySelector('[data-entity=\"pedestrians/" + agents.get(0) + "\"]').click()");
            browser.waitFor("document.querySelectorAll('#agents .agent.selected').length", v -> v.asInt() == 1,
                    TIMEOUT);
            browser.waitFor("Number(document.getElementById('timeline').dataset.scores)", v -> v.asInt() > 0,
                    TIMEOUT);

            // The topology's forecaster (flowcast.forecasts) forecasts each walker; the page draws the selected
            // one's samples, most likely path and, without a density grid, its farthest horizon's Gaussian.
            browser.waitFor("window.flowcast.forecasts.has('" + agents.get(0) + "')", JsonNode::asBoolean, TIMEOUT);
            browser.waitFor("document.getElementById('scene').dataset.heat", v -> v.asText().equals("gaussian"),
                    TIMEOUT);
            // A forecaster with density grids (the flow chain) gets its grid drawn as is. The topology may still be
            // forecasting the walker meanwhile: its forecasts can follow the grid forecast on the topic (and in one
            // poll of the feed), but they are about earlier positions, so the grid forecast stays the latest.
            long gridForecastAt = t0 + 60 * 400L;
            publish(TopicNames.FORECASTS, agents.get(0), forecast(agents.get(0), gridForecastAt));
            browser.waitFor("document.getElementById('scene').dataset.heat", v -> v.asText().equals("grid"),
                    TIMEOUT);

            // The entity endpoint answers from the streams' state store: the walker's last score (step 54) and the
            // latest forecast by event time, the grid one.
            awaitEntity(agents.get(0), t0 + 54 * 400L, gridForecastAt);
            given().get("/api/v1/entities/pedestrians/" + agents.get(0)).then().statusCode(200)
                    .body("score.eventTime", equalTo(t0 + 54 * 400L)).body("score.stream", equalTo("pedestrians"))
                    .body("forecast.eventTime", equalTo(gridForecastAt))
                    .body("forecast.horizons[1].grid.rows", equalTo(3));
            given().get("/api/v1/entities/pedestrians/nobody").then().statusCode(404)
                    .contentType(io.flowcast.api.Problem.MEDIA_TYPE);

            // The anomaly, injected at the input: a sensor of the test-api stream reads far off its curve. The real
            // topology scores it under the stream's threshold, opens an alert episode on flowcast.alerts, and the
            // page lists it.
            String sensor = "sensor-" + RUN;
            long s0 = System.currentTimeMillis() - 30_000;
            List<byte[][]> readings = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                readings.add(new byte[][] {bytes(sensor), bytes(ApiTestSupport.event(sensor, s0 + i * 1000L,
                        ApiTestSupport.u(i), ApiTestSupport.v(i)))});
            }
            readings.add(new byte[][] {bytes(sensor), bytes(ApiTestSupport.event(sensor, s0 + 3000, 30, -30))});
            TestKafka.produce(TopicNames.EVENTS, readings);
            String alertPrefix = ApiTestSupport.STREAM + "/" + sensor + "/";
            String alertsOfSensor = "[...document.querySelectorAll('#alerts li')].filter(li => li.dataset.alertId"
                    + ".startsWith('" + alertPrefix + "')).map(li => li.textContent)";
            JsonNode alertText = browser.waitFor(alertsOfSensor, v -> v.size() == 1, TIMEOUT);
            assertTrue(alertText.get(0).asText().contains(ApiTestSupport.STREAM + "/" + sensor), alertText.toString());
            browser.screenshot(Path.of("target", "dashboard", "dashboard.png"));

            // Ordinary readings after it close the episode (close-after records), which takes it off the page.
            List<byte[][]> calm = new ArrayList<>();
            for (int i = 4; i < 24; i++) {
                calm.add(new byte[][] {bytes(sensor), bytes(ApiTestSupport.event(sensor, s0 + i * 1000L,
                        ApiTestSupport.u(i), ApiTestSupport.v(i)))});
            }
            TestKafka.produce(TopicNames.EVENTS, calm);
            browser.waitFor(alertsOfSensor, v -> v.size() == 0, TIMEOUT);
        }
    }

    /** Waits until the entity endpoint shows the agent's score and forecast of these event times. */
    private static void awaitEntity(String agent, long scoreTime, long forecastTime) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            var response = given().get("/api/v1/entities/pedestrians/" + agent);
            if (response.statusCode() == 200 && Long.valueOf(scoreTime).equals(response.jsonPath()
                    .getLong("score.eventTime")) && Long.valueOf(forecastTime).equals(response.jsonPath()
                    .getLong("forecast.eventTime"))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the entity endpoint never showed " + agent + " scored at " + scoreTime
                        + " and forecast at " + forecastTime + ": " + response.statusCode() + " "
                        + response.asString());
            }
            Thread.sleep(200);
        }
    }

    private void awaitFeedAssigned() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!feed.assigned()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the live feed never found its topics");
            }
            Thread.sleep(100);
        }
    }

    /** Each agent walks along its lane, one position every 0.4 s, steps {@code from} to {@code from + steps - 1}. */
    private static void publishWalks(List<String> agents, long t0, int from, int steps) {
        List<byte[][]> records = new ArrayList<>();
        for (int step = from; step < from + steps; step++) {
            for (int a = 0; a < agents.size(); a++) {
                records.add(new byte[][] {bytes(agents.get(a)), bytes(position(agents.get(a), t0 + step * 400L, a,
                        step, 0))});
            }
        }
        TestKafka.produce(TopicNames.TRAJECTORIES, records);
    }

    /** About 1.25 m/s along x with a little seeded jitter (a real gait is not a ruler line). */
    private static String position(String agent, long eventTime, int lane, int step, double jump) {
        java.util.Random jitter = new java.util.Random(1000L * lane + step);
        double x = 1.0 + 0.5 * step + 0.05 * jitter.nextGaussian() + jump;
        double y = 2.0 + 3.0 * lane + 0.05 * jitter.nextGaussian();
        return String.format(Locale.ROOT, "{\"entityId\":\"%s\",\"eventTime\":%d,\"position\":{\"x\":%.3f,"
                + "\"y\":%.3f},\"scene\":\"test-plaza\",\"stream\":\"pedestrians\"}", agent, eventTime, x, y);
    }

    /** A forecast as the trajectory forecaster publishes it: 3 sampled paths of 4 steps and a 3 x 3 density grid. */
    private static String forecast(String agent, long eventTime) {
        String json = String.format(Locale.ROOT, """
                {"entityId":"%s","eventTime":%d,"source":{"topic":"flowcast.trajectories","partition":0,"offset":0},
                 "model":{"name":"trajectories","version":1},"stepSeconds":0.4,"horizonSteps":4,
                 "samples":[[[28.5,2.0],[29.0,2.0],[29.5,2.1],[30.0,2.1]],[[28.5,2.1],[29.0,2.3],[29.4,2.5],[29.8,2.8]],
                            [[28.4,1.9],[28.9,1.8],[29.3,1.6],[29.7,1.4]]],
                 "mostLikely":[[28.5,2.0],[29.0,2.0],[29.5,2.0],[30.0,2.0]],
                 "horizons":[{"step":1,"mean":[28.5,2.0],"covariance":[[0.01,0],[0,0.01]]},
                             {"step":4,"mean":[30.0,2.0],"covariance":[[0.2,0],[0,0.2]],
                              "grid":{"origin":[29.0,1.0],"cellMetres":0.7,"rows":3,"cols":3,
                                      "logDensity":[-4,-3,-4,-2,-0.5,-2,-4,-3,-4]}}]}
                """, agent, eventTime);
        assertValid(TopicNames.FORECASTS, json);
        return json;
    }

    /** What the test publishes on an output topic keeps to that topic's contract, as the real producers must. */
    private static void assertValid(String topic, String json) {
        var checked = TopicContracts.shared().forTopic(topic).read(bytes(json), 1 << 20);
        assertTrue(checked.isValid(), topic + ": " + checked.result());
    }

    private static void publish(String topic, String key, String value) {
        assertEquals(1, TestKafka.produce(topic, List.<byte[][]>of(new byte[][] {bytes(key), bytes(value)})).size());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
