package io.flowcast.api.live;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The live dashboard in Debian's headless Chromium, fed end to end through the real broker: agents' positions go to
 * flowcast.trajectories (and through the scoring topology to flowcast.scores), a forecast to flowcast.forecasts and
 * an alert to flowcast.alerts, as the topology's forecaster and alerting publish them. The page must show the agents,
 * their scores, the forecast, and the injected anomaly's alert while it is open. Screenshot:
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

            publish(TopicNames.FORECASTS, agents.get(0), forecast(agents.get(0), t0 + 54 * 400L));
            browser.waitFor("window.flowcast.forecasts.has('" + agents.get(0) + "')", JsonNode::asBoolean, TIMEOUT);
            // Any instance answers for any entity: the feed reads every partition.
            awaitEntityAt(agents.get(0), t0 + 54 * 400L);
            given().get("/api/v1/entities/pedestrians/" + agents.get(0)).then().statusCode(200)
                    .body("position.t", equalTo(t0 + 54 * 400L)).body("forecast.eventTime", equalTo(t0 + 54 * 400L))
                    .body("score.stream", equalTo("pedestrians"));
            given().get("/api/v1/entities/pedestrians/nobody").then().statusCode(404);

            // The anomaly: walker b jumps 8 m in one step, and its alert opens.
            long jumpAt = t0 + 55 * 400L;
            String alertId = "pedestrians/" + agents.get(1) + "/" + jumpAt;
            publish(TopicNames.TRAJECTORIES, agents.get(1), position(agents.get(1), jumpAt, 1, 55, 8.0));
            publish(TopicNames.ALERTS, agents.get(1), alert(alertId, agents.get(1), jumpAt, "OPEN"));
            JsonNode alertText = browser.waitFor(
                    "[...document.querySelectorAll('#alerts li')].filter(li => li.dataset.alertId === '" + alertId
                            + "').map(li => li.textContent)", v -> v.size() == 1, TIMEOUT);
            assertTrue(alertText.get(0).asText().contains(agents.get(1)), alertText.toString());
            assertTrue(alertText.get(0).asText().startsWith("HIGH"), alertText.toString());
            browser.screenshot(Path.of("target", "dashboard", "dashboard.png"));

            // Closing the episode takes it off the page.
            publish(TopicNames.ALERTS, agents.get(1), alert(alertId, agents.get(1), jumpAt, "CLOSED"));
            browser.waitFor("document.querySelectorAll('#alerts li[data-alert-id=\"" + alertId + "\"]').length",
                    v -> v.asInt() == 0, TIMEOUT);
        }
    }

    private static void awaitEntityAt(String agent, long eventTime) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!Long.valueOf(eventTime).equals(given().get("/api/v1/entities/pedestrians/" + agent).then().extract()
                .jsonPath().getLong("position.t"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the feed never showed " + agent + " at " + eventTime);
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

    private static String alert(String alertId, String agent, long startedAt, String state) {
        String json = String.format(Locale.ROOT, "{\"alertId\":\"%s\",\"entityId\":\"%s\",\"stream\":\"pedestrians\","
                + "\"state\":\"%s\",\"startedAt\":%d,\"peakAt\":%d,\"peakGrade\":0.9995,\"endedAt\":%s,"
                + "\"severity\":\"HIGH\",\"threshold\":0.005,\"model\":{\"name\":\"pedestrians.linear-gaussian\","
                + "\"version\":1}}", alertId, agent, state, startedAt, startedAt,
                state.equals("OPEN") ? "null" : Long.toString(startedAt + 2000));
        assertValid(TopicNames.ALERTS, json);
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
