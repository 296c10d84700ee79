package io.flowcast.embedded.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowcast.contract.TopicNames;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The demo's records as their topics' contracts describe them (and, on purpose, a few that break them). */
final class DemoRecords {

    /** One record to produce. */
    record DemoRecord(String topic, String key, byte[] value) {
    }

    static final String SCENE = "plaza";
    static final String INJECTED = "demo.injected";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DemoRecords() {
    }

    static DemoRecord event(String stream, String entityId, long eventTime, DemoStream.Reading reading) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("entityId", entityId);
        node.put("eventTime", eventTime);
        node.put("stream", stream);
        ObjectNode features = node.putObject("features");
        for (Map.Entry<String, Double> feature : reading.features().entrySet()) {
            features.put(feature.getKey(), feature.getValue());
        }
        if (reading.anomaly() != null) {
            node.putObject("attributes").put(INJECTED, reading.anomaly());
        }
        return new DemoRecord(TopicNames.EVENTS, entityId, bytes(node));
    }

    static DemoRecord trajectory(String stream, SocialForceCrowd.AgentState agent, long eventTime) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("entityId", agent.id());
        node.put("eventTime", eventTime);
        ObjectNode position = node.putObject("position");
        position.put("x", Math.round(agent.x() * 1000) / 1000.0);
        position.put("y", Math.round(agent.y() * 1000) / 1000.0);
        node.put("heading", Math.atan2(agent.vy(), agent.vx()));
        node.put("speed", agent.speed());
        node.put("scene", SCENE);
        node.put("stream", stream);
        if (agent.anomaly() != null) {
            node.putObject("attributes").put(INJECTED, agent.anomaly());
        }
        return new DemoRecord(TopicNames.TRAJECTORIES, agent.id(), bytes(node));
    }

    /**
     * A record the service must dead-letter, of kind {@code n % 3}: truncated JSON (MALFORMED_JSON), an event time
     * written as text (SCHEMA_VIOLATION), a stream nobody scores (UNKNOWN_STREAM).
     */
    static DemoRecord malformed(int n, long eventTime) {
        String entity = "broken-producer";
        String json = switch (n % 3) {
            case 0 -> "{\"entityId\":\"" + entity + "\",\"eventTime\":" + eventTime + ",\"stream\":\"sensor-tem";
            case 1 -> "{\"entityId\":\"" + entity + "\",\"eventTime\":\"yesterday\",\"stream\":\""
                    + SeasonalSensorStream.NAME + "\",\"features\":{\"temperature_c\":21.5,\"humidity_pct\":40}}";
            default -> "{\"entityId\":\"" + entity + "\",\"eventTime\":" + eventTime
                    + ",\"stream\":\"no-such-stream\",\"features\":{\"value\":1.0}}";
        };
        return new DemoRecord(TopicNames.EVENTS, entity, json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a demo record", e);
        }
    }
}
