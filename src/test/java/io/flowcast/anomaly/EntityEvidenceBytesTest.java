package io.flowcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The stored evidence state is byte for byte its format written value by value
 * (format 1: big-endian, raw float bits): a guard for any faster encoding, so stored states read back unchanged.
 */
class EntityEvidenceBytesTest {

    @Test
    void theStoredBytesAreTheValueByValueFormat() {
        EntityEvidence evidence = new EntityEvidence(new EntityEvidence.Settings(64, 48, Duration.ofSeconds(60), 12,
                32, 0.1));
        SplittableRandom random = new SplittableRandom(17);
        EntityEvidence.State state = null;
        for (int i = 0; i < 3000; i++) {
            float[] values = {(float) random.nextGaussian(), (float) (Math.round(random.nextGaussian() * 2) / 2.0)};
            state = evidence.update(state, i * 700L, values, 0.5).next();
            if (i % 97 == 0 || i < 40) {
                byte[] bytes = state.toBytes();
                assertArrayEquals(valueByValue(state), bytes, "record " + i);
                assertEquals(state, EntityEvidence.State.fromBytes(bytes));
            }
        }
        // Odd bits (a NaN payload, infinities, signed zero) survive as they are.
        float[] recent = state.recent().clone();
        recent[0] = Float.intBitsToFloat(0x7fc00123);
        recent[1] = Float.NEGATIVE_INFINITY;
        recent[2] = -0.0f;
        EntityEvidence.State odd = new EntityEvidence.State(state.d(), state.recentSize(), recent,
                state.residualSize(), state.residuals(), state.slotSeason(), state.previous(), state.sum(),
                state.count());
        assertArrayEquals(valueByValue(odd), odd.toBytes());
        assertEquals(0x7fc00123, Float.floatToRawIntBits(EntityEvidence.State.fromBytes(odd.toBytes()).recent()[0]));
        byte[] bytes = state.toBytes();
        assertThrows(IllegalArgumentException.class,
                () -> EntityEvidence.State.fromBytes(Arrays.copyOf(bytes, 17 + 4 * 10)));
    }

    /** Format 1 as first written: header, then every value with its own put. */
    private static byte[] valueByValue(EntityEvidence.State s) {
        ByteBuffer buffer = ByteBuffer.allocate(s.byteSize());
        buffer.put((byte) 1).putInt(s.d()).putInt(s.recentSize()).putInt(s.residualSize())
                .putInt(s.slotSeason().length);
        for (float v : s.recent()) {
            buffer.putFloat(v);
        }
        for (float v : s.residuals()) {
            buffer.putFloat(v);
        }
        for (int slot = 0; slot < s.slotSeason().length; slot++) {
            buffer.putInt(s.slotSeason()[slot]).putInt(s.count()[slot]);
            for (int j = 0; j < s.d(); j++) {
                buffer.putFloat(s.previous()[slot * s.d() + j]).putFloat(s.sum()[slot * s.d() + j]);
            }
        }
        return buffer.array();
    }
}
