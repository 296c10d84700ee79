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

    @Test
    void thePlainWriterGivesTheGeneratorsBytesOrLeavesTheDescriptorToIt() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(20261129L);
        int plain = 0;
        for (int i = 0; i < 5_000; i++) {
            AnomalyDescriptor descriptor = randomDescriptor(random);
            byte[] generated = DescriptorSerde.writeWithGenerator(descriptor);
            byte[] written = PlainDescriptorWriter.write(descriptor);
            if (written != null) {
                plain++;
                assertEquals(new String(generated, StandardCharsets.UTF_8), new String(written,
                        StandardCharsets.UTF_8));
            }
            if (i % 10 == 0) {
                assertSameBytes(descriptor);
            }
        }
        // Both sides are exercised: most generated descriptors are plain, and many are not.
        assertEquals(true, plain > 2_000 && plain < 4_900, "plain descriptors: " + plain);
    }

    @Test
    void textToEscapeOrBeyondAsciiAndNonFiniteNumbersAreLeftToTheGenerator() {
        RecordScore score = new RecordScore(-1.5, 0.25, 0.005, false,
                List.of(new Contribution("x", 0.5)), Map.of("x", 1.0));
        for (String text : new String[] {"a\"b", "a\\b", "tab\t", "nörd", "\u007f", "\u2603"}) {
            assertEquals(null, PlainDescriptorWriter.write(AnomalyDescriptor.scored(text, 1, "s", SOURCE,
                    new ModelRef("m", 1), score, Map.of(), 2)));
            assertEquals(null, PlainDescriptorWriter.write(AnomalyDescriptor.scored("e", 1, "s", SOURCE,
                    new ModelRef("m", 1), score, Map.of("k", text), 2)));
            assertSameBytes(AnomalyDescriptor.scored(text, 1, "s", SOURCE, new ModelRef(text, 1), score,
                    Map.of(text, text), 2));
        }
        for (double odd : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            RecordScore oddScore = new RecordScore(odd, 0.25, 0.005, false, List.of(new Contribution("x", odd)),
                    Map.of("x", odd));
            AnomalyDescriptor descriptor = AnomalyDescriptor.scored("e", 1, "s", SOURCE, new ModelRef("m", 1),
                    oddScore, Map.of(), 2);
            assertEquals(null, PlainDescriptorWriter.write(descriptor));
            assertSameBytes(descriptor);
        }
        assertEquals("{\"entityId\":\"e\",\"eventTime\":1,\"stream\":\"s\",\"source\":{\"topic\":\"flowcast.events\","
                + "\"partition\":3,\"offset\":123456789},\"model\":{\"name\":\"m\",\"version\":1},\"logDensity\":-1.5,"
                + "\"tailProbability\":0.25,\"grade\":0.75,\"threshold\":0.005,\"anomalous\":false,\"warmingUp\":false,"
                + "\"attribution\":[{\"feature\":\"x\",\"contribution\":0.5}],\"expected\":{\"x\":1.0},\"scoredAt\":2}",
                new String(PlainDescriptorWriter.write(AnomalyDescriptor.scored("e", 1, "s", SOURCE,
                        new ModelRef("m", 1), score, Map.of(), 2)), StandardCharsets.UTF_8));
    }

    /** Descriptors of every shape: warming up or scored, with or without each optional part, odd texts and numbers. */
    private static AnomalyDescriptor randomDescriptor(java.util.SplittableRandom random) {
        int d = 1 + random.nextInt(3);
        List<Contribution> attribution = new java.util.ArrayList<>();
        Map<String, Double> expected = new LinkedHashMap<>();
        for (int i = 0; i < d; i++) {
            String feature = text(random);
            attribution.add(new Contribution(feature, number(random)));
            expected.put(feature, random.nextInt(20) == 0 ? null : number(random));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            attributes.put(text(random), random.nextInt(30) == 0 ? null : text(random));
        }
        SourceRef source = random.nextInt(20) == 0 ? null
                : new SourceRef(random.nextInt(10) == 0 ? text(random) : "flowcast.events", random.nextInt(64),
                        random.nextLong(0, Long.MAX_VALUE));
        ModelRef model = random.nextInt(5) == 0 ? null : new ModelRef(text(random), random.nextInt(1000));
        if (random.nextInt(4) == 0) {
            return AnomalyDescriptor.warmingUp(text(random), random.nextLong(), text(random), source, model,
                    attributes, random.nextLong());
        }
        boolean optional = random.nextBoolean();
        return new AnomalyDescriptor(text(random), random.nextLong(), text(random), source, model,
                number(random), Math.abs(number(random)), number(random), 0.005, random.nextBoolean(),
                false, random.nextInt(10) == 0 ? null : attribution, random.nextInt(10) == 0 ? null : expected,
                attributes.isEmpty() ? null : attributes, random.nextInt(10) == 0 ? null : random.nextLong(),
                optional ? number(random) : null, optional ? Math.abs(number(random)) : null,
                random.nextBoolean() ? number(random) : null);
    }

    private static String text(java.util.SplittableRandom random) {
        String[] odd = {"", "a\"q", "back\\slash", "ctl\u0001", "nörd", "\u2603", "del\u007f", "new\nline", "/"};
        if (random.nextInt(25) == 0) {
            return odd[random.nextInt(odd.length)];
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1 + random.nextInt(16); i > 0; i--) {
            char c = (char) (0x20 + random.nextInt(0x5F)); // printable ASCII
            text.append(c == '"' || c == '\\' ? '_' : c);
        }
        return text.toString();
    }

    /** Doubles of every magnitude and form Double.toString takes (plain, exponent, float-widened, zero, odd). */
    private static double number(java.util.SplittableRandom random) {
        return switch (random.nextInt(12)) {
            case 0 -> Double.longBitsToDouble(random.nextLong()); // any bit pattern, NaN included
            case 1 -> (float) random.nextDouble(-1e3, 1e3);
            case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(-12, 12));
            case 3 -> -random.nextDouble() * Math.pow(10, random.nextInt(-300, 300));
            case 4 -> random.nextInt(-1000, 1000);
            case 5 -> random.nextBoolean() ? 0.0 : -0.0;
            case 6 -> random.nextInt(200) == 0 ? Double.POSITIVE_INFINITY : Double.MIN_VALUE;
            default -> random.nextGaussian() * 50;
        };
    }

    private static void assertSameBytes(AnomalyDescriptor descriptor) {
        byte[] jackson = new JsonSerde<>(AnomalyDescriptor.class).serializer().serialize("t", descriptor);
        byte[] ours = new DescriptorSerde().serializer().serialize("t", descriptor);
        assertEquals(new String(jackson, StandardCharsets.UTF_8), new String(ours, StandardCharsets.UTF_8));
        assertEquals(true, Arrays.equals(jackson, ours));
        assertEquals(descriptor.toString(), new DescriptorSerde().deserializer().deserialize("t", ours).toString());
    }
}
