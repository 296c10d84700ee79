package io.flowcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flowcast.anomaly.AlertEpisode;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.SourceRef;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AlertEpisodeSerdeTest {

    private final AlertEpisodeSerde serde = new AlertEpisodeSerde();

    @Test
    void anEpisodeSurvivesItsStoreFieldForField() {
        AlertEpisode episode = new AlertEpisode("s/e1/1700000000000", "e1", "s", 1_700_000_000_000L,
                1_700_000_005_000L, 0.9993, new SourceRef("flowcast.events", 2, 4711), new ModelRef("s.flow", 7),
                Map.of("site", "nord", "rack", "ü-12"), 0.005, 6, 2);
        assertEquals(episode, roundTrip(episode));
    }

    @Test
    void absentPartsStayAbsent() {
        AlertEpisode episode = new AlertEpisode("a", "e1", "s", 1, 2, 0.5, null, null, null, 0.01, 1, 0);
        assertEquals(episode, roundTrip(episode));
        assertEquals(null, serde.serializer().serialize("t", null));
        assertEquals(null, serde.deserializer().deserialize("t", null));
    }

    @Test
    void anEpisodeStoredAsJsonByAnEarlierVersionIsStillRead() {
        AlertEpisode episode = new AlertEpisode("a", "e1", "s", 1, 2, 0.5, new SourceRef("t", 0, 3),
                new ModelRef("m", 1), Map.of("k", "v"), 0.01, 1, 0);
        byte[] json = new JsonSerde<>(AlertEpisode.class).serializer().serialize("t", episode);
        assertEquals(episode, serde.deserializer().deserialize("t", json));
    }

    @Test
    void anUnknownFormatIsRefused() {
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", new byte[] {9, 0}));
    }

    private AlertEpisode roundTrip(AlertEpisode episode) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", episode));
    }
}
