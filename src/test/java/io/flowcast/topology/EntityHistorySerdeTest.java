package io.flowcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
