package io.flowcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flowcast.anomaly.EntityEvidence;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.flow.LatentState;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class EntityHistorySerdeTest {

    private final EntityHistorySerde serde = new EntityHistorySerde();

    @Test
    void roundTrips() {
        EntityHistory history = EntityHistory.empty(2).append(new float[] {1, 2}, 10, 3)
                .append(new float[] {3, 4}, 20, 3);
        EntityHistory read = serde.deserializer().deserialize("t", serde.serializer().serialize("t", history));
        assertEquals(2, read.dimension());
        assertEquals(2, read.rows());
        assertEquals(20, read.lastEventTime());
        assertArrayEquals(new float[] {1, 2, 3, 4}, read.values());
    }

    @Test
    void appendKeepsTheNewestRows() {
        EntityHistory history = EntityHistory.empty(1);
        for (int i = 1; i <= 5; i++) {
            history = history.append(new float[] {i}, i, 3);
        }
        assertArrayEquals(new float[] {3, 4, 5}, history.values());
        assertEquals(5, history.lastEventTime());
    }

    @Test
    void refusesUnknownVersionsAndTruncatedBytes() {
        byte[] bytes = serde.serializer().serialize("t", EntityHistory.empty(1).append(new float[] {1}, 1, 2));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", truncated));
        bytes[0] = 9;
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", bytes));
    }

    @Test
    void roundTripsTheLatentStateWithItsModel() {
        LatentMemory latent = new LatentMemory(new ModelRef("sensor.flow", 7),
                new LatentState(new double[] {0.25, -1.5e-9}, 12, 1_700_000_000_123L));
        EntityHistory history = EntityHistory.empty(2).append(new float[] {1, 2}, 10, 3).withLatent(latent)
                .append(new float[] {3, 4}, 20, 3);
        EntityHistory read = serde.deserializer().deserialize("t", serde.serializer().serialize("t", history));
        assertEquals(latent, read.latent());
        assertArrayEquals(new float[] {1, 2, 3, 4}, read.values());
        assertEquals(LatentMemory.NONE, serde.deserializer().deserialize("t",
                serde.serializer().serialize("t", EntityHistory.empty(1))).latent());
    }

    @Test
    void readsTheFormatWrittenBeforeLatentStatesAsAnEntityWithoutLatentPast() {
        // Version 1, as the previous release wrote it: dimension 2, 2 rows, last event time 20, four floats.
        ByteBuffer old = ByteBuffer.allocate(1 + 4 + 4 + 8 + 16);
        old.put((byte) 1).putInt(2).putInt(2).putLong(20).putFloat(1).putFloat(2).putFloat(3).putFloat(4);
        EntityHistory read = serde.deserializer().deserialize("t", old.array());
        assertEquals(2, read.rows());
        assertEquals(20, read.lastEventTime());
        assertArrayEquals(new float[] {1, 2, 3, 4}, read.values());
        assertEquals(LatentMemory.NONE, read.latent());
        byte[] longer = java.util.Arrays.copyOf(old.array(), old.capacity() + 1);
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", longer));
    }

    @Test
    void refusesCorruptLatentStates() {
        LatentMemory latent = new LatentMemory(new ModelRef("m", 1), new LatentState(new double[] {1}, 1, 5));
        byte[] bytes = serde.serializer().serialize("t", EntityHistory.empty(1).withLatent(latent));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", truncated));
        byte[] trailing = java.util.Arrays.copyOf(bytes, bytes.length + 2);
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", trailing));
    }

    @Test
    void roundTripsTheEvidenceState() {
        EntityEvidence evidence = new EntityEvidence(EntityEvidence.Settings.defaults());
        EntityEvidence.State state = null;
        for (int i = 0; i < 100; i++) {
            state = evidence.update(state, i * 3_600_000L, new float[] {i, -i}, 0.5).next();
        }
        EntityHistory history = EntityHistory.empty(2).append(new float[] {1, 2}, 10, 3)
                .withScoringState(LatentMemory.NONE, state);
        byte[] bytes = serde.serializer().serialize("t", history);
        EntityHistory read = serde.deserializer().deserialize("t", bytes);
        assertEquals(state, read.evidence());
        // What an entity of a two-feature evidence stream costs in the store and its changelog at the defaults.
        assertEquals(1 + 4 + 4 + 8 + 8 + 1 + 4 + state.byteSize(), bytes.length);
        assertEquals(17 + 4 * 2 * (64 + 64) + 24 * (4 + 4 + 2 * 8), state.byteSize()); // 1617
    }

    @Test
    void readsTheFormatWrittenBeforeEvidenceAsAnEntityWithoutEvidence() {
        // Version 2: dimension 1, 1 row, last event time 5, one float, a latent state of model "m" v1.
        ByteBuffer old = ByteBuffer.allocate(1 + 4 + 4 + 8 + 4 + 1 + 4 + 1 + 4 + 4 + 8 + 4 + 8);
        old.put((byte) 2).putInt(1).putInt(1).putLong(5).putFloat(0.5f);
        old.put((byte) 1).putInt(1).put((byte) 'm').putInt(1).putInt(3).putLong(5).putInt(1).putDouble(-0.25);
        EntityHistory read = serde.deserializer().deserialize("t", old.array());
        assertEquals(new LatentMemory(new ModelRef("m", 1), new LatentState(new double[] {-0.25}, 3, 5)),
                read.latent());
        assertEquals(null, read.evidence());
        assertArrayEquals(new float[] {0.5f}, read.values());
    }
}
