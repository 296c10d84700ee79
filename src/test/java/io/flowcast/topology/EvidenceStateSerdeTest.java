package io.flowcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flowcast.anomaly.EntityEvidence;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** An entity's evidence state through its store's serde, and what it costs there. */
class EvidenceStateSerdeTest {

    private final EvidenceStateSerde serde = new EvidenceStateSerde();

    @Test
    void roundTripsAndCostsAboutOneAndAHalfKilobytesForTwoFeaturesAtTheDefaults() {
        EntityEvidence evidence = new EntityEvidence(EntityEvidence.Settings.defaults());
        EntityEvidence.State state = null;
        for (int i = 0; i < 100; i++) {
            state = evidence.update(state, i * 3_600_000L, new float[] {i, -i}, 0.5).next();
        }
        byte[] bytes = serde.serializer().serialize("t", state);
        assertEquals(state, serde.deserializer().deserialize("t", bytes));
        // 64 values and 64 differences of 2 floats, 24 slots of (season, count, 2 x (previous, sum)): 1617 bytes.
        assertEquals(17 + 4 * 2 * (64 + 64) + 24 * (4 + 4 + 2 * 8), bytes.length);
        assertNull(serde.deserializer().deserialize("t", null));
        assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length - 2)));
    }
}
