package io.flowcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
