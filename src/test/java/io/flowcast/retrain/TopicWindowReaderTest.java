package io.flowcast.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.KafkaBrokerResource;
import io.flowcast.embedded.TestKafka;
import io.flowcast.flow.ContextSpec;
import io.flowcast.serving.StreamProfile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The training window read back from the real broker by event time, per stream, newest kept, bad records skipped. */
class TopicWindowReaderTest {

    private static byte[][] event(String entity, long time, String stream, double a, double b) {
        String json = "{\"entityId\":\"" + entity + "\",\"eventTime\":" + time + ",\"stream\":\"" + stream
                + "\",\"features\":{\"a\":" + a + ",\"b\":" + b + "}}";
        return new byte[][] {entity.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)};
    }

    @Test
    void readsTheWindowOfEachStream() {
        String stream = "window-" + UUID.randomUUID();
        long base = System.currentTimeMillis() - 60_000;
        List<byte[][]> records = new ArrayList<>();
        for (int t = 0; t < 40; t++) {
            records.add(event("e" + (t % 3), base + 1000L * t, stream, t, -t));
        }
        records.add(new byte[][] {"bad".getBytes(), "{not json".getBytes()});
        records.add(event("e9", base + 5000, stream + "-other", 1, 2));
        records.add(new byte[][] {"e1".getBytes(), ("{\"entityId\":\"e1\",\"eventTime\":" + (base + 3000)
                + ",\"stream\":\"" + stream + "\",\"features\":{\"a\":1}}").getBytes()});
        TestKafka.produce(TopicNames.EVENTS, records);
        StreamProfile profile = new StreamProfile(stream, List.of("a", "b"), new ContextSpec(1, false), 0.01);
        TopicWindowReader reader = new TopicWindowReader(KafkaBrokerResource.bootstrapServers(), "pedestrians");
        Map<String, List<StreamObservation>> window = reader.read(List.of(profile), base + 10_000, base + 29_000,
                100);
        List<StreamObservation> read = window.get(stream);
        assertEquals(20, read.size(), "t = 10..29");
        assertTrue(read.stream().allMatch(o -> o.eventTime() >= base + 10_000 && o.eventTime() <= base + 29_000));
        assertEquals(10f, read.stream().mapToDouble(o -> o.x()[0]).min().orElseThrow(), 0);
        assertEquals(5, reader.read(List.of(profile), base, base + 100_000, 5).get(stream).size(), "newest 5");
    }
}
