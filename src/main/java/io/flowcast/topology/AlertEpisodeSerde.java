package io.flowcast.topology;

import io.flowcast.anomaly.AlertEpisode;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.anomaly.SourceRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of an {@link AlertEpisode} for the alert store and its changelog, behind a version byte. An entity in
 * an open episode reads and writes it on every record, and JSON cost a tenth of the stream thread's time there.
 * Episodes stored as JSON by earlier versions (first byte '{') are still read.
 */
final class AlertEpisodeSerde implements Serde<AlertEpisode> {

    static final byte VERSION = 1;

    private final JsonSerde<AlertEpisode> json = new JsonSerde<>(AlertEpisode.class);

    @Override
    public Serializer<AlertEpisode> serializer() {
        return (topic, episode) -> episode == null ? null : write(episode);
    }

    @Override
    public Deserializer<AlertEpisode> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == '{') {
                return json.deserializer().deserialize(topic, bytes);
            }
            return read(bytes);
        };
    }

    private static byte[] write(AlertEpisode e) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(192);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            writeText(out, e.alertId());
            writeText(out, e.entityId());
            writeText(out, e.stream());
            out.writeLong(e.startedAt());
            out.writeLong(e.peakAt());
            out.writeDouble(e.peakGrade());
            out.writeBoolean(e.peakSource() != null);
            if (e.peakSource() != null) {
                writeText(out, e.peakSource().topic());
                out.writeInt(e.peakSource().partition());
                out.writeLong(e.peakSource().offset());
            }
            out.writeBoolean(e.peakModel() != null);
            if (e.peakModel() != null) {
                writeText(out, e.peakModel().name());
                out.writeInt(e.peakModel().version());
            }
            out.writeInt(e.peakAttributes() == null ? -1 : e.peakAttributes().size());
            if (e.peakAttributes() != null) {
                for (Map.Entry<String, String> attribute : e.peakAttributes().entrySet()) {
                    writeText(out, attribute.getKey());
                    writeText(out, attribute.getValue());
                }
            }
            out.writeDouble(e.threshold());
            out.writeInt(e.recordCount());
            out.writeInt(e.normalRun());
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new SerializationException("cannot write alert episode " + e.alertId(), ex);
        }
    }

    private static AlertEpisode read(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            byte version = in.readByte();
            if (version != VERSION) {
                throw new SerializationException("unknown alert episode format " + version);
            }
            String alertId = readText(in);
            String entityId = readText(in);
            String stream = readText(in);
            long startedAt = in.readLong();
            long peakAt = in.readLong();
            double peakGrade = in.readDouble();
            SourceRef peakSource = in.readBoolean() ? new SourceRef(readText(in), in.readInt(), in.readLong()) : null;
            ModelRef peakModel = in.readBoolean() ? new ModelRef(readText(in), in.readInt()) : null;
            int attributeCount = in.readInt();
            Map<String, String> attributes = null;
            if (attributeCount >= 0) {
                attributes = new LinkedHashMap<>();
                for (int i = 0; i < attributeCount; i++) {
                    attributes.put(readText(in), readText(in));
                }
            }
            return new AlertEpisode(alertId, entityId, stream, startedAt, peakAt, peakGrade, peakSource, peakModel,
                    attributes, in.readDouble(), in.readInt(), in.readInt());
        } catch (IOException ex) {
            throw new SerializationException("corrupt alert episode of " + bytes.length + " bytes", ex);
        }
    }

    /** Length-prefixed UTF-8 (writeUTF caps at 64 KiB, which an attribute value could pass); -1 for null. */
    private static void writeText(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readText(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }
}
