package io.flowcast.api.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live feed's reading of topic records (the contracts' own examples) and its bounded memory of them. */
class LiveStateTest {

    private final LiveRecords records = new LiveRecords("pedestrians");

    @Test
    void readsTheContractExamplesOfEveryTopicItShows() throws Exception {
        LiveMessage.Position position = records.position(example("flowcast.trajectories/valid-full.json")).orElseThrow();
        assertEquals(new LiveMessage.Position("agent-42", "pedestrians", "univ", 1767225600400L, 12.5, 4.0), position);
        // A trajectory naming no stream belongs to the configured trajectory stream.
        assertEquals("pedestrians",
                records.position(example("flowcast.trajectories/valid-minimal.json")).orElseThrow().stream());

        LiveRecords.ScoredRecord anomalous = records.score(example("flowcast.scores/valid-anomalous.json")).orElseThrow();
        assertTrue(anomalous.score().anomalous());
        assertTrue(Double.isFinite(anomalous.logDensity()));
        LiveRecords.ScoredRecord warming = records.score(example("flowcast.scores/valid-warming-up-no-model.json"))
                .orElseThrow();
        assertTrue(warming.score().warmingUp());
        assertTrue(Double.isNaN(warming.logDensity()));

        JsonNode forecast = records.forecast(example("flowcast.forecasts/valid-model.json")).orElseThrow();
        assertEquals(3, forecast.get("samples").size());
        assertEquals(12, forecast.get("mostLikely").size());
        assertEquals(1, forecast.get("gridStep").asInt(), "the farthest horizon with a grid");
        assertEquals(4, forecast.get("grid").get("logDensity").size());

        assertEquals("OPEN", records.alert(example("flowcast.alerts/valid-open.json")).orElseThrow()
                .get("state").asText());
    }

    @Test
    void skipsWhatItCannotUse() {
        for (String bad : List.of("", "not json", "[]", "{\"entityId\":5}", "{\"entityId\":\"a\",\"eventTime\":\"x\"}")) {
            byte[] bytes = bad.getBytes(StandardCharsets.UTF_8);
            assertTrue(records.position(bytes).isEmpty(), bad);
            assertTrue(records.score(bytes).isEmpty(), bad);
            assertTrue(records.forecast(bytes).isEmpty(), bad);
            assertTrue(records.alert(bytes).isEmpty(), bad);
        }
        assertTrue(records.position(null).isEmpty());
    }

    @Test
    void keepsBoundedPathsAndOnlyOpenAlerts() throws Exception {
        LiveState state = new LiveState(3, 2, 2);
        List<LiveMessage.Position> positions = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            positions.add(new LiveMessage.Position("a", "s", null, t, t, 0));
        }
        JsonNode open = records.alert(example("flowcast.alerts/valid-open.json")).orElseThrow();
        state.apply(new LiveMessage(LiveMessage.BATCH, positions, List.of(), List.of(), List.of(open)));
        LiveMessage snapshot = state.snapshot();
        assertEquals(List.of(2L, 3L, 4L), snapshot.positions().stream().map(LiveMessage.Position::t).toList());
        assertEquals(1, snapshot.alerts().size());

        JsonNode closed = records.alert(example("flowcast.alerts/valid-closed.json")).orElseThrow();
        assertEquals(open.get("alertId"), closed.get("alertId"), "the examples describe one episode");
        state.apply(new LiveMessage(LiveMessage.BATCH, List.of(new LiveMessage.Position("b", "s", null, 1, 0, 0),
                new LiveMessage.Position("c", "s", null, 1, 0, 0)), List.of(), List.of(), List.of(closed)));
        snapshot = state.snapshot();
        assertTrue(snapshot.alerts().isEmpty(), "a closed episode leaves the open alerts");
        // At most two entities: the least recently updated one (a) is forgotten.
        assertEquals(List.of("b", "c"), snapshot.positions().stream().map(LiveMessage.Position::entityId).toList());
    }

    @Test
    void aBatchKeepsEachAgentsForecastAboutTheLatestMomentWhateverTheirOrder() throws Exception {
        byte[] example = example("flowcast.forecasts/valid-model.json");
        JsonNode newer = records.forecast(withEventTime(example, 2_000)).orElseThrow();
        JsonNode older = records.forecast(withEventTime(example, 1_000)).orElseThrow();
        java.util.Map<String, JsonNode> batch = new java.util.HashMap<>();
        // As one poll can read them: the newer forecast first, then a late one about an earlier position.
        LiveRecords.keepNewest(batch, newer);
        LiveRecords.keepNewest(batch, older);
        assertEquals(List.of(newer), List.copyOf(batch.values()));

        LiveState state = new LiveState(3, 2, 10);
        state.apply(new LiveMessage(LiveMessage.BATCH, List.of(), List.of(), List.of(newer), List.of()));
        state.apply(new LiveMessage(LiveMessage.BATCH, List.of(), List.of(), List.of(older), List.of()));
        assertEquals(List.of(newer), state.snapshot().forecasts());
    }

    private static byte[] withEventTime(byte[] forecast, long eventTime) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode node =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(forecast);
        node.put("eventTime", eventTime);
        return json.writeValueAsBytes(node);
    }

    private static byte[] example(String name) throws Exception {
        return Files.readAllBytes(Path.of("schemas/examples", name));
    }
}
