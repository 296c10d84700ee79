package io.flowcast.api.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * Turns topic records into what the dashboard draws. Lenient by design: the topics are already checked by their
 * producers, and a record this reader cannot use is skipped (empty), never an error that would stop the feed.
 */
final class LiveRecords {

    /** Sampled paths sent per forecast: enough to show the spread, few enough for a page at 10 Hz. */
    static final int MAX_SAMPLES = 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String defaultTrajectoryStream;

    LiveRecords(String defaultTrajectoryStream) {
        this.defaultTrajectoryStream = defaultTrajectoryStream;
    }

    Optional<LiveMessage.Position> position(byte[] value) {
        JsonNode node = parse(value);
        JsonNode position = node.path("position");
        if (!node.path("entityId").isTextual() || !node.path("eventTime").isIntegralNumber()
                || !position.path("x").isNumber() || !position.path("y").isNumber()) {
            return Optional.empty();
        }
        String stream = node.path("stream").isTextual() ? node.get("stream").asText() : defaultTrajectoryStream;
        String scene = node.path("scene").isTextual() ? node.get("scene").asText() : null;
        return Optional.of(new LiveMessage.Position(node.get("entityId").asText(), stream, scene,
                node.get("eventTime").asLong(), position.get("x").asDouble(), position.get("y").asDouble()));
    }

    /** The score, and its model's log-density for the live NLL (NaN while warming up). */
    Optional<ScoredRecord> score(byte[] value) {
        JsonNode node = parse(value);
        if (!node.path("entityId").isTextual() || !node.path("stream").isTextual()
                || !node.path("eventTime").isIntegralNumber()) {
            return Optional.empty();
        }
        JsonNode model = node.path("model");
        String modelName = model.path("name").isTextual() ? model.get("name").asText() : null;
        LiveMessage.Score score = new LiveMessage.Score(node.get("entityId").asText(), node.get("stream").asText(),
                node.get("eventTime").asLong(), number(node, "tailProbability"), number(node, "threshold"),
                node.path("anomalous").asBoolean(false), node.path("warmingUp").asBoolean(false),
                modelName == null ? null : modelName + " v" + model.path("version").asInt());
        Double logDensity = number(node, "logDensity");
        return Optional.of(new ScoredRecord(score, modelName, model.path("version").asInt(),
                logDensity == null ? Double.NaN : logDensity));
    }

    /**
     * A forecast cut to what the page draws: the first {@link #MAX_SAMPLES} sampled paths, the most likely path, the
     * density grid of the farthest horizon that has one and the farthest horizon's summary (for the heat map).
     */
    Optional<JsonNode> forecast(byte[] value) {
        JsonNode node = parse(value);
        if (!node.path("entityId").isTextual() || !node.path("mostLikely").isArray()) {
            return Optional.empty();
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("entityId", node.get("entityId").asText());
        out.set("eventTime", node.path("eventTime"));
        out.set("model", node.path("model"));
        out.set("mostLikely", node.get("mostLikely"));
        ArrayNode samples = out.putArray("samples");
        for (JsonNode sample : node.path("samples")) {
            if (samples.size() == MAX_SAMPLES) {
                break;
            }
            samples.add(sample);
        }
        JsonNode grid = null;
        JsonNode last = null;
        for (JsonNode horizon : node.path("horizons")) {
            last = horizon;
            if (horizon.has("grid")) {
                grid = horizon.get("grid");
                out.put("gridStep", horizon.path("step").asInt());
            }
        }
        if (grid != null) {
            out.set("grid", grid);
        }
        // Without a grid the page draws the farthest horizon's Gaussian summary (mean, covariance) instead.
        if (last != null && last.path("mean").isArray() && last.path("covariance").isArray()) {
            ObjectNode summary = out.putObject("horizon");
            summary.set("step", last.path("step"));
            summary.set("mean", last.get("mean"));
            summary.set("covariance", last.get("covariance"));
        }
        return Optional.of(out);
    }

    /**
     * Files a forecast (as {@link #forecast} cuts it) under its entity unless that entity's forecast there is newer in
     * event time: the latest forecast is the one about the latest moment, whatever order they arrive in.
     */
    static void keepNewest(java.util.Map<String, JsonNode> byEntity, JsonNode forecast) {
        byEntity.merge(forecast.path("entityId").asText(), forecast,
                (old, candidate) -> isNewer(candidate, old) ? candidate : old);
    }

    /** Whether a forecast is about a moment no earlier than another's (a tie goes to the one that came later). */
    static boolean isNewer(JsonNode candidate, JsonNode old) {
        return candidate.path("eventTime").asLong() >= old.path("eventTime").asLong();
    }

    Optional<JsonNode> alert(byte[] value) {
        JsonNode node = parse(value);
        return node.path("alertId").isTextual() && node.path("state").isTextual() ? Optional.of(node)
                : Optional.empty();
    }

    /** A score with the model version that produced it, for the live NLL. */
    record ScoredRecord(LiveMessage.Score score, String model, int version, double logDensity) {
    }

    private static Double number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asDouble() : null;
    }

    private static JsonNode parse(byte[] value) {
        if (value == null) {
            return JSON.missingNode();
        }
        try {
            JsonNode node = JSON.readTree(value);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }
}
