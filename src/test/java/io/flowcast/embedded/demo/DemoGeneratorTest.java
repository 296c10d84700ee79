package io.flowcast.embedded.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowcast.contract.CheckedRecord;
import io.flowcast.contract.DlqReason;
import io.flowcast.contract.TopicContracts;
import io.flowcast.contract.TopicNames;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoGeneratorTest {

    private static final DemoGenerator.Plan PLAN = new DemoGenerator.Plan(42, 60, 6, 4, 10, Duration.ofMinutes(10),
            0.01, 500, "pedestrians");
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void producesAtTheConfiguredRatesRecordsThatMeetTheirContracts() throws IOException {
        long start = 1_700_000_000_000L;
        DemoGenerator generator = new DemoGenerator(PLAN, start);
        List<DemoRecords.DemoRecord> records = new ArrayList<>();
        for (long t = start + 100; t <= start + 60_000; t += 100) { // one minute of 100 ms ticks
            records.addAll(generator.tick(t));
        }
        Map<String, Integer> byTopic = new HashMap<>();
        Map<DlqReason, Integer> rejected = new HashMap<>();
        int injected = 0;
        for (DemoRecords.DemoRecord record : records) {
            byTopic.merge(record.topic(), 1, Integer::sum);
            CheckedRecord checked = TopicContracts.shared().forTopic(record.topic()).read(record.value(), 1 << 20);
            if (!checked.isValid()) {
                rejected.merge(checked.result().reason(), 1, Integer::sum);
                continue;
            }
            JsonNode node = mapper.readTree(record.value());
            assertEquals(record.key(), node.get("entityId").asText());
            if (node.has("attributes")) {
                injected++;
            }
        }
        // 60 events/s for 60 s, 7 of them malformed (one per 500); 10 pedestrians every 0.4 s.
        assertEquals(3600 + 7, byTopic.get(TopicNames.EVENTS));
        assertEquals(150 * 10, byTopic.get(TopicNames.TRAJECTORIES));
        // The malformed records are the only ones that break a contract; the unknown stream is valid JSON.
        assertEquals(Map.of(DlqReason.MALFORMED_JSON, 3, DlqReason.SCHEMA_VIOLATION, 2), rejected);
        assertTrue(injected > 20 && injected < 1000, injected + " records inside injected anomalies");
    }

    @Test
    void theSameSeedGivesTheSameRecords() {
        DemoGenerator a = new DemoGenerator(PLAN, 0);
        DemoGenerator b = new DemoGenerator(PLAN, 0);
        for (long t = 100; t <= 5_000; t += 100) {
            List<DemoRecords.DemoRecord> left = a.tick(t);
            List<DemoRecords.DemoRecord> right = b.tick(t);
            assertEquals(left.size(), right.size());
            for (int i = 0; i < left.size(); i++) {
                assertEquals(new String(left.get(i).value()), new String(right.get(i).value()));
            }
        }
    }

    @Test
    void aStallIsSkippedRatherThanReplayed() {
        DemoGenerator generator = new DemoGenerator(PLAN, 0);
        generator.tick(100);
        // Ten silent minutes (a suspended laptop) produce at most two seconds' worth.
        int events = (int) generator.tick(600_000).stream().filter(r -> r.topic().equals(TopicNames.EVENTS)).count();
        assertTrue(events <= 121, events + " events");
    }
}
