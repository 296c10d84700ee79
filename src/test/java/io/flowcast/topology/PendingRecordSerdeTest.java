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
}
