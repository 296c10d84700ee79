package io.flowcast.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flowcast.anomaly.ModelRef;
import io.flowcast.trajectory.PathForecast;
import io.flowcast.trajectory.RapidUpdateConfig;
import io.flowcast.trajectory.WeightedPaths;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class TrackStateSerdeTest {

    private final TrackStateSerde serde = new TrackStateSerde();

    private static TrackState withSamples() {
        float[] paths = new float[3 * 2 * 4];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = 0.25f * i;
        }
        PathForecast forecast = new PathForecast(3, 4, paths, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new double[8],
                new double[12], new float[] {-1.5f, Float.NaN, 2});
        WeightedPaths weighted = WeightedPaths.of(forecast).observe(1, 0.1, 0.3, RapidUpdateConfig.defaults()).next();
        StoredForecast stored = StoredForecast.fresh(new ModelRef("pedestrians.chain-ä", 7), 1_000L,
                new float[] {0, 0, 1, 1, 2, 2}, weighted).observed(1, 0.1, 0.3, weighted);
        return new TrackState(new float[] {1, 2, 3, 4, 5, 6}, 1_400L, 1_000L, 400L, new double[] {1, 2},
                new double[] {0.1, 0, 0.1}, stored);
    }

    @Test
    void aTrackWithStoredSamplesRoundTripsExactly() {
        TrackState track = withSamples();
        TrackState back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", track));
        assertEquals(track, back);
        assertArrayEquals(track.stored().paths().weights(), back.stored().paths().weights());
        assertEquals(1, back.stored().paths().observed());
        assertEquals(new ModelRef("pedestrians.chain-ä", 7), back.stored().model());
        TrackState plain = new TrackState(new float[] {1, 2}, 5L, Long.MIN_VALUE, 0, new double[0], new double[0]);
        assertEquals(plain, serde.deserializer().deserialize("t", serde.serializer().serialize("t", plain)));
    }

    /** The bytes the version 1 serde wrote (a ByteBuffer, before rapid updates): read as a track without samples. */
    @Test
    void aStateWrittenBeforeRapidUpdatesIsStillRead() {
        ByteBuffer old = ByteBuffer.allocate(1 + 4 + 4 * 4 + 8 * 3 + 4 + 8 * 2 + 8 * 3);
        old.put((byte) 1).putInt(4).putFloat(1).putFloat(2).putFloat(3).putFloat(4);
        old.putLong(1_400L).putLong(1_000L).putLong(400L).putInt(1).putDouble(3.5).putDouble(4.5);
        old.putDouble(0.1).putDouble(0.01).putDouble(0.2);
        TrackState track = serde.deserializer().deserialize("t", old.array());
        assertArrayEquals(new float[] {1, 2, 3, 4}, track.positions());
        assertEquals(1_400L, track.lastEventTime());
        assertEquals(1_000L, track.forecastTime());
        assertEquals(400L, track.stepMillis());
        assertArrayEquals(new double[] {3.5, 4.5}, track.means());
        assertArrayEquals(new double[] {0.1, 0.01, 0.2}, track.covariances());
        assertNull(track.stored());
        assertArrayEquals(old.array(), TrackStateSerde.write(track, TrackStateSerde.VERSION_1));
    }

    @Test
    void corruptOrUnknownBytesAreASerializationError() {
        byte[] good = serde.serializer().serialize("t", withSamples());
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 5);
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", truncated));
        byte[] future = good.clone();
        future[0] = 9;
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", future));
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).putInt(1, Integer.MAX_VALUE);
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", huge));
        assertNull(serde.deserializer().deserialize("t", null));
    }
}
