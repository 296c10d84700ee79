package io.flowcast.api.live;

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
        publishWalks(agents, t0, 30);

        try (HeadlessChromium browser = new HeadlessChromium(chromium, 1400, 1000)) {
            browser.navigate(page.toString(), TIMEOUT);
            browser.waitFor("document.getElementById('status').textContent", v -> v.asText().equals("live"), TIMEOUT);
            JsonNode shown = browser.waitFor(
                    "[...document.querySelectorAll('#agents .agent')].map(li => li.dataset.entity)",
                    v -> agents.stream().allMatch(a -> v.toString().contains("pedestrians/" + a)), TIMEOUT);
            assertTrue(shown.size() >= 3, shown.toString());

            // Scores come from the real topology (flowcast.scores); select an agent and see its timeline fill.
            publishWalks(agents, t0 + 30 * 400L, 10);
            browser.evaluate("document.querySelector('[data-entity=\"pedestrians/" + agents.get(0) + "\"]').click()");
            browser.waitFor("document.querySelectorAll('#agents .agent.selected').length", v -> v.asInt() == 1,
                    TIMEOUT);
            browser.waitFor("window.flowcast.scores.has('pedestrians/" + agents.get(0) + "')", JsonNode::asBoolean,
                    TIMEOUT);

            publish(TopicNames.FORECASTS, agents.get(0), forecast(agents.get(0), t0 + 39 * 400L));
            browser.waitFor("window.flowcast.forecasts.has('" + agents.get(0) + "')", JsonNode::asBoolean, TIMEOUT);

            // The anomaly: walker b jumps 8 m in one step, and its alert opens.
            String alertId = "pedestrians/" + agents.get(1) + "/" + (t0 + 40 * 400L);
            publish(TopicNames.TRAJECTORIES, agents.get(1), position(agents.get(1), t0 + 40 * 400L, 1, 40, 8.0));
            publish(TopicNames.ALERTS, agents.get(1), alert(alertId, agents.get(1), t0 + 40 * 400L, "OPEN"));
            JsonNode alertText = browser.waitFor(
                    "[...document.querySelectorAll('#alerts li')].filter(li => li.dataset.alertId === '" + alertId
                            + "').map(li => li.textContent)", v -> v.size() == 1, TIMEOUT);
            assertTrue(alertText.get(0).asText().contains(agents.get(1)), alertText.toString());
            assertTrue(alertText.get(0).asText().startsWith("HIGH"), alertText.toString());
            browser.screenshot(Path.of("target", "dashboard", "dashboard.png"));

            // Closing the episode takes it off the page.
            publish(TopicNames.ALERTS, agents.get(1), alert(alertId, agents.get(1), t0 + 40 * 400L, "CLOSED"));
            browser.waitFor("document.querySelectorAll('#alerts li[data-alert-id=\"" + alertId + "\"]').length",
                    v -> v.asInt() == 0, TIMEOUT);
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

    /** Each agent walks a straight line, one position every 0.4 s, from step {@code from} on. */
    private static void publishWalks(List<String> agents, long t0, int steps) {
        List<byte[][]> records = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            for (int a = 0; a < agents.size(); a++) {
                records.add(new byte[][] {bytes(agents.get(a)), bytes(position(agents.get(a), t0 + step * 400L, a,
                        step, 0))});
            }
        }
        TestKafka.produce(TopicNames.TRAJECTORIES, records);
    }

    private static String position(String agent, long eventTime, int lane, int step, double jump) {
        double x = 1.0 + 0.5 * step + jump;
        double y = 2.0 + 3.0 * lane + 0.05 * Math.sin(step);
        return String.format(Locale.ROOT, "{\"entityId\":\"%s\",\"eventTime\":%d,\"position\":{\"x\":%.3f,"
                + "\"y\":%.3f},\"scene\":\"test-plaza\",\"stream\":\"pedestrians\"}", agent, eventTime, x, y);
    }

    /** A forecast as the trajectory forecaster publishes it: 3 sampled paths of 4 steps and a 3 x 3 density grid. */
    private static String forecast(String agent, long eventTime) {
        String json = String.format(Locale.ROOT, """
                {"entityId":"%s","eventTime":%d,"source":{"topic":"flowcast.trajectories","partition":0,"offset":0},
                 "model":{"name":"trajectories","version":1},"stepSeconds":0.4,"horizonSteps":4,
                 "samples":[[[21.5,2.0],[22.0,2.0],[22.5,2.1],[23.0,2.1]],[[21.5,2.1],[22.0,2.3],[22.4,2.5],[22.8,2.8]],
                            [[21.4,1.9],[21.9,1.8],[22.3,1.6],[22.7,1.4]]],
                 "mostLikely":[[21.5,2.0],[22.0,2.0],[22.5,2.0],[23.0,2.0]],
                 "horizons":[{"step":1,"mean":[21.5,2.0],"covariance":[[0.01,0],[0,0.01]]},
                             {"step":4,"mean":[23.0,2.0],"covariance":[[0.2,0],[0,0.2]],
                              "grid":{"origin":[22.0,1.0],"cellMetres":0.7,"rows":3,"cols":3,
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
