package io.flowcast.topology;

import io.flowcast.anomaly.SourceRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Binary form of a {@link PendingRecord} for the pending-batch store and its changelog, behind a version byte. */
final class PendingRecordSerde implements Serde<PendingRecord> {

    static final byte VERSION = 1;

    private final EntityHistorySerde histories = new EntityHistorySerde();

    @Override
    public Serializer<PendingRecord> serializer() {
        return (topic, pending) -> pending == null ? null : write(pending);
    }

    @Override
    public Deserializer<PendingRecord> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    private byte[] write(PendingRecord pending) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeUTF(pending.source().topic());
            out.writeInt(pending.source().partition());
            out.writeLong(pending.source().offset());
            out.writeLong(pending.timestamp());
            writeBytes(out, pending.key());
            writeBytes(out, pending.value());
            Observation o = pending.observation();
            out.writeUTF(o.entityId());
            out.writeLong(o.eventTime());
            out.writeUTF(o.stream());
            out.writeInt(o.features().size());
            for (Map.Entry<String, Double> feature : o.features().entrySet()) {
                out.writeUTF(feature.getKey());
                out.writeDouble(feature.getValue());
            }
            out.writeInt(o.attributes().size());
            for (Map.Entry<String, String> attribute : o.attributes().entrySet()) {
                out.writeUTF(attribute.getKey());
                writeBytes(out, attribute.getValue().getBytes(StandardCharsets.UTF_8));
            }
            writeBytes(out, histories.serializer().serialize(null, pending.prior()));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("cannot write pending record " + pending.source(), e);
        }
    }

    private PendingRecord read(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            byte version = in.readByte();
            if (version != VERSION) {
                throw new SerializationException("unknown pending record format " + version);
            }
            SourceRef source = new SourceRef(in.readUTF(), in.readInt(), in.readLong());
            long timestamp = in.readLong();
            byte[] key = readBytes(in);
            byte[] value = readBytes(in);
            String entityId = in.readUTF();
            long eventTime = in.readLong();
            String stream = in.readUTF();
            Map<String, Double> features = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                features.put(in.readUTF(), in.readDouble());
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                attributes.put(in.readUTF(), new String(readBytes(in), StandardCharsets.UTF_8));
            }
            EntityHistory prior = histories.deserializer().deserialize(null, readBytes(in));
            return new PendingRecord(source, timestamp, key, value,
                    new Observation(entityId, eventTime, stream, features, attributes), prior);
        } catch (IOException e) {
            throw new SerializationException("corrupt pending record of " + bytes.length + " bytes", e);
        }
    }

    /** Length-prefixed; -1 for null (a record without key, a tombstone never gets here but stays representable). */
    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length);
            out.write(value);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] value = new byte[length];
        in.readFully(value);
        return value;
    }
}
