package io.flowcast.topology;

import io.flowcast.anomaly.ModelRef;
import io.flowcast.flow.LatentState;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary form of an {@link EntityHistory} for the state store and its changelog: a format version byte,
 * then dimension, rows, last event time and the float values; from version 2 the latent state follows (a flag, then
 * the model's name and version, the record count, the event time and the vector). The version byte lets this format
 * read old state: a version 1 history reads with no latent past (its next record is scored as the entity's first).
 */
public final class EntityHistorySerde implements Serde<EntityHistory> {

    static final byte VERSION = 2;
    static final byte VERSION_WITHOUT_LATENT = 1;
    /** A latent vector has the model's dimension: a longer one is corruption, not state. */
    private static final int MAX_LATENT = 1 << 16;

    @Override
    public Serializer<EntityHistory> serializer() {
        return (topic, history) -> history == null ? null : write(history);
    }

    @Override
    public Deserializer<EntityHistory> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    private static byte[] write(EntityHistory history) {
        LatentMemory latent = history.latent();
        byte[] modelName = latent.model() == null ? null : latent.model().name().getBytes(StandardCharsets.UTF_8);
        double[] vector = latent.state().vector();
        int latentBytes = 1 + (modelName == null ? 0 : 4 + modelName.length + 4 + 4 + 8 + 4 + 8 * vector.length);
        ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + 4 + 8 + 4 * history.values().length + latentBytes);
        buffer.put(VERSION).putInt(history.dimension()).putInt(history.rows()).putLong(history.lastEventTime());
        for (float value : history.values()) {
            buffer.putFloat(value);
        }
        if (modelName == null) {
            buffer.put((byte) 0);
        } else {
            buffer.put((byte) 1).putInt(modelName.length).put(modelName).putInt(latent.model().version());
            buffer.putInt(latent.state().count()).putLong(latent.state().lastEventTime()).putInt(vector.length);
            for (double value : vector) {
                buffer.putDouble(value);
            }
        }
        return buffer.array();
    }

    private static EntityHistory read(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            byte version = buffer.get();
            if (version != VERSION && version != VERSION_WITHOUT_LATENT) {
                throw new SerializationException("unknown entity history format " + version);
            }
            int dimension = buffer.getInt();
            int rows = buffer.getInt();
            long lastEventTime = buffer.getLong();
            long valueBytes = 4L * rows * dimension;
            boolean sized = version == VERSION ? buffer.remaining() >= valueBytes : buffer.remaining() == valueBytes;
            if (dimension < 1 || rows < 0 || !sized) {
                throw corrupt(bytes, rows + " x " + dimension);
            }
            float[] values = new float[rows * dimension];
            for (int i = 0; i < values.length; i++) {
                values[i] = buffer.getFloat();
            }
            LatentMemory latent = version == VERSION ? readLatent(buffer, bytes) : LatentMemory.NONE;
            if (buffer.hasRemaining()) {
                throw corrupt(bytes, buffer.remaining() + " trailing bytes");
            }
            return new EntityHistory(dimension, rows, values, lastEventTime, latent);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw corrupt(bytes, e.toString());
        }
    }

    private static LatentMemory readLatent(ByteBuffer buffer, byte[] bytes) {
        if (buffer.get() == 0) {
            return LatentMemory.NONE;
        }
        int nameLength = buffer.getInt();
        if (nameLength < 0 || nameLength > buffer.remaining()) {
            throw corrupt(bytes, "model name of " + nameLength + " bytes");
        }
        byte[] name = new byte[nameLength];
        buffer.get(name);
        int version = buffer.getInt();
        int count = buffer.getInt();
        long lastEventTime = buffer.getLong();
        int length = buffer.getInt();
        if (length < 0 || length > MAX_LATENT) {
            throw corrupt(bytes, "latent vector of " + length);
        }
        double[] vector = new double[length];
        for (int i = 0; i < length; i++) {
            vector[i] = buffer.getDouble();
        }
        return new LatentMemory(new ModelRef(new String(name, StandardCharsets.UTF_8), version),
                new LatentState(vector, count, lastEventTime));
    }

    private static SerializationException corrupt(byte[] bytes, String detail) {
        return new SerializationException("corrupt entity history of " + bytes.length + " bytes: " + detail);
    }
}
