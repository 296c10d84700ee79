package io.flowcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.Contribution;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.RecordScore;
import io.flowcast.anomaly.SourceRef;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written descriptor writer gives the very bytes Jackson's bean serializer gives, and reads back. */
class DescriptorSerdeTest {

    private static final SourceRef SOURCE = new SourceRef("flowcast.events", 3, 123_456_789L);

    @Test
    void aScoredDescriptorIsWrittenAsJacksonWritesIt() {
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("latency_ms", 120.25);
        expected.put("requests_per_s", 4.0e-7);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("site", "nörd \"east\"\n");
        attributes.put("rack", "12");
        RecordScore score = new RecordScore(-3.75, 0.0012, 0.005, true,
                List.of(new Contribution("latency_ms", 2.5), new Contribution("requests_per_s", -0.125)), expected);
        assertSameBytes(AnomalyDescriptor.scored("svc-1", 1_700_000_000_000L, "bench", SOURCE,
                new ModelRef("bench.flow", 4), score, attributes, 1_700_000_000_123L));
    }

    @Test
    void warmingUpAndOddValuesAreWrittenAsJacksonWritesThem() {
        assertSameBytes(AnomalyDescriptor.warmingUp("e1", 1, "s", SOURCE, null, Map.of(), 2));
        assertSameBytes(AnomalyDescriptor.warmingUp("e1", -5, "s", SOURCE, new ModelRef("m", 1),
                Map.of("k", "\u2603"), 2));
        assertSameBytes(new AnomalyDescriptor(null, 0, null, null, null, Double.NaN, Double.POSITIVE_INFINITY,
                -0.0, Double.MIN_VALUE, false, false, List.of(), Map.of(), null, null));
    }

    private static void assertSameBytes(AnomalyDescriptor descriptor) {
        byte[] jackson = new JsonSerde<>(AnomalyDescriptor.class).serializer().serialize("t", descriptor);
        byte[] ours = new DescriptorSerde().serializer().serialize("t", descriptor);
        assertEquals(new String(jackson, StandardCharsets.UTF_8), new String(ours, StandardCharsets.UTF_8));
        assertEquals(true, Arrays.equals(jackson, ours));
        assertEquals(descriptor.toString(), new DescriptorSerde().deserializer().deserialize("t", ours).toString());
    }
}
