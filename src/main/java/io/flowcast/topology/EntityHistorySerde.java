package io.flowcast.topology;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary form of an {@link EntityHistory} for the state store and its changelog: a format version byte,
 * then dimension, rows, last event time and the float values. The version byte lets a later format read old state.
 */
public final class EntityHistorySerde implements Serde<EntityHistory> {

    static final byte VERSION = 1;

    @Override
    public Serializer<EntityHistory> serializer() {
        return (topic, history) -> {
            if (history == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + 4 + 8 + 4 * history.values().length);
            buffer.put(VERSION).putInt(history.dimension()).putInt(history.rows()).putLong(history.lastEventTime());
            for (float value : history.values()) {
                buffer.putFloat(value);
            }
            return buffer.array();
        };
    }

    @Override
    public Deserializer<EntityHistory> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            byte version = buffer.get();
            if (version != VERSION) {
                throw new SerializationException("unknown entity history format " + version);
            }
            int dimension = buffer.getInt();
            int rows = buffer.getInt();
            long lastEventTime = buffer.getLong();
            if (dimension < 1 || rows < 0 || buffer.remaining() != 4L * rows * dimension) {
                throw new SerializationException("corrupt entity history: " + rows + " x " + dimension + " in "
                        + bytes.length + " bytes");
            }
            float[] values = new float[rows * dimension];
            for (int i = 0; i < values.length; i++) {
                values[i] = buffer.getFloat();
            }
            return new EntityHistory(dimension, rows, values, lastEventTime);
        };
    }
}
