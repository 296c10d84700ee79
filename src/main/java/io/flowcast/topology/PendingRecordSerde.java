package io.flowcast.topology;

import io.flowcast.anomaly.SourceRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
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
        byte[] prior = histories.serializer().serialize(null, pending.prior());
        byte[] plain = writePlain(pending, prior);
        return plain != null ? plain : writeWithDataOutput(pending, prior);
    }

    /**
     * The record in the format {@link #writeWithDataOutput} writes, straight into one buffer, when every text is
     * ASCII without NUL (where Java's modified UTF-8 is the text's own bytes); {@code null} otherwise. Parking is
     * once per record, and the stream's buffered writes cost a lock and a call per field.
     */
    static byte[] writePlain(PendingRecord pending, byte[] prior) {
        Observation o = pending.observation();
        int size = 1 + 2 + pending.source().topic().length() + 4 + 8 + 8 + 4 + length(pending.key()) + 4
                + length(pending.value()) + 2 + o.entityId().length() + 8 + 2 + o.stream().length() + 4 + 4 + 4
                + prior.length;
        for (String feature : o.features().keySet()) {
            size += 2 + feature.length() + 8;
        }
        for (Map.Entry<String, String> attribute : o.attributes().entrySet()) {
            size += 2 + attribute.getKey().length() + 4 + attribute.getValue().length();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION);
        if (!ascii(out, pending.source().topic())) {
            return null;
        }
        out.putInt(pending.source().partition()).putLong(pending.source().offset()).putLong(pending.timestamp());
        bytes(out, pending.key());
        bytes(out, pending.value());
        if (!ascii(out, o.entityId())) {
            return null;
        }
        out.putLong(o.eventTime());
        if (!ascii(out, o.stream())) {
            return null;
        }
        out.putInt(o.features().size());
        for (Map.Entry<String, Double> feature : o.features().entrySet()) {
            if (!ascii(out, feature.getKey())) {
                return null;
            }
            out.putDouble(feature.getValue());
        }
        out.putInt(o.attributes().size());
        for (Map.Entry<String, String> attribute : o.attributes().entrySet()) {
            String value = attribute.getValue();
            if (!ascii(out, attribute.getKey()) || !isAscii(value)) {
                return null;
            }
            out.putInt(value.length());
            for (int i = 0; i < value.length(); i++) {
                out.put((byte) value.charAt(i));
            }
        }
        bytes(out, prior);
        return out.hasRemaining() ? null : out.array();
    }

    /** As {@link DataOutputStream#writeUTF} for ASCII text without NUL; false for any other text. */
    private static boolean ascii(ByteBuffer out, String text) {
        if (!isAscii(text) || text.length() > 0xFFFF) {
            return false;
        }
        out.putShort((short) text.length());
        for (int i = 0; i < text.length(); i++) {
            out.put((byte) text.charAt(i));
        }
        return true;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || c > 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static void bytes(ByteBuffer out, byte[] value) {
        if (value == null) {
            out.putInt(-1);
        } else {
            out.putInt(value.length).put(value);
        }
    }

    /** The reference writer: any text (modified UTF-8 through {@link DataOutputStream}). */
    static byte[] writeWithDataOutput(PendingRecord pending, byte[] prior) {
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
            writeBytes(out, prior);
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
