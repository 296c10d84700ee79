package io.flowcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.flow.LatentState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A parked record keeps the history it was admitted with, latent state included, through its store. */
class PendingRecordSerdeTest {

    @Test
    void aParkedRecordKeepsItsEntitysLatentState() {
        LatentMemory latent = new LatentMemory(new ModelRef("test-sine.flow", 3),
                new LatentState(new double[] {-0.75}, 4, 1_000L));
        PendingRecord parked = new PendingRecord(new SourceRef("flowcast.events", 2, 42), 7L, new byte[] {1},
                new byte[] {2, 3}, new Observation("e1", 2_000L, "test-sine", Map.of("value", 1.5), Map.of()),
                new EntityHistory(1, 2, new float[] {1, 2}, 1_000L, latent));
        PendingRecordSerde serde = new PendingRecordSerde();
        PendingRecord back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", parked));
        assertEquals(latent, back.prior().latent());
        assertArrayEquals(parked.prior().values(), back.prior().values());
        assertEquals(parked.source(), back.source());
        assertEquals(parked.observation(), back.observation());
    }

    @Test
    void theDirectWriterGivesTheDataOutputBytesOrLeavesTheRecordToIt() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        PendingRecordSerde serde = new PendingRecordSerde();
        EntityHistorySerde histories = new EntityHistorySerde();
        int direct = 0;
        for (int i = 0; i < 3_000; i++) {
            PendingRecord parked = randomRecord(random);
            byte[] prior = histories.serializer().serialize(null, parked.prior());
            byte[] reference = PendingRecordSerde.writeWithDataOutput(parked, prior);
            byte[] plain = PendingRecordSerde.writePlain(parked, prior);
            if (plain != null) {
                direct++;
                assertArrayEquals(reference, plain);
            }
            assertArrayEquals(reference, serde.serializer().serialize("t", parked));
            PendingRecord back = serde.deserializer().deserialize("t", reference);
            assertEquals(parked.observation(), back.observation());
            assertEquals(parked.source(), back.source());
            assertArrayEquals(parked.value(), back.value());
        }
        assertEquals(true, direct > 2_000 && direct < 3_000, "written directly: " + direct);
    }

    private static PendingRecord randomRecord(java.util.SplittableRandom random) {
        Map<String, Double> features = new java.util.LinkedHashMap<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            features.put(text(random), random.nextGaussian() * 100);
        }
        Map<String, String> attributes = new java.util.LinkedHashMap<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            attributes.put(text(random), text(random));
        }
        byte[] key = random.nextInt(10) == 0 ? null : text(random).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] value = new byte[random.nextInt(300)];
        random.nextBytes(value);
        int rows = random.nextInt(4);
        float[] values = new float[rows * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        LatentMemory latent = random.nextBoolean() ? LatentMemory.NONE : new LatentMemory(
                new ModelRef(text(random), random.nextInt(9)), new LatentState(new double[] {random.nextDouble()},
                        random.nextInt(5), random.nextLong()));
        return new PendingRecord(new SourceRef(random.nextInt(10) == 0 ? text(random) : "flowcast.events",
                random.nextInt(16), random.nextLong(0, Long.MAX_VALUE)), random.nextLong(), key, value,
                new Observation(text(random), random.nextLong(), text(random), features, attributes),
                new EntityHistory(2, rows, values, random.nextLong(), latent));
    }

    /** Mostly printable ASCII; now and then NUL, accented or beyond the BMP (modified UTF-8 differs there). */
    private static String text(java.util.SplittableRandom random) {
        String[] odd = {"nörd", "\u0000nul", "\u2603", "\uD83D\uDE00", ""};
        if (random.nextInt(40) == 0) {
            return odd[random.nextInt(odd.length)];
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1 + random.nextInt(12); i > 0; i--) {
            text.append((char) (0x20 + random.nextInt(0x5F)));
        }
        return text.toString();
    }
}
