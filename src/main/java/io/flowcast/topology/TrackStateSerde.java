package io.flowcast.topology;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Binary form of a {@link TrackState} for the forecast store and its changelog, behind a version byte. */
final class TrackStateSerde implements Serde<TrackState> {

    static final byte VERSION = 1;

    @Override
    public Serializer<TrackState> serializer() {
        return (topic, track) -> {
            if (track == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + 4 * track.positions().length + 8 * 3 + 4
                    + 8 * track.means().length + 8 * track.covariances().length);
            buffer.put(VERSION).putInt(track.positions().length);
            for (float value : track.positions()) {
                buffer.putFloat(value);
            }
            buffer.putLong(track.lastEventTime()).putLong(track.forecastTime()).putLong(track.stepMillis());
            buffer.putInt(track.means().length / 2);
            for (double value : track.means()) {
                buffer.putDouble(value);
            }
            for (double value : track.covariances()) {
                buffer.putDouble(value);
            }
            return buffer.array();
        };
    }

    @Override
    public Deserializer<TrackState> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                if (buffer.get() != VERSION) {
                    throw new SerializationException("unknown track format " + bytes[0]);
                }
                float[] positions = new float[buffer.getInt()];
                for (int i = 0; i < positions.length; i++) {
                    positions[i] = buffer.getFloat();
                }
                long last = buffer.getLong();
                long forecastTime = buffer.getLong();
                long step = buffer.getLong();
                int horizons = buffer.getInt();
                double[] means = new double[2 * horizons];
                for (int i = 0; i < means.length; i++) {
                    means[i] = buffer.getDouble();
                }
                double[] covariances = new double[3 * horizons];
                for (int i = 0; i < covariances.length; i++) {
                    covariances[i] = buffer.getDouble();
                }
                return new TrackState(positions, last, forecastTime, step, means, covariances);
            } catch (RuntimeException e) {
                throw new SerializationException("corrupt track state of " + bytes.length + " bytes", e);
            }
        };
    }
}
