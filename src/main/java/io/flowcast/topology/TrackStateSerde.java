package io.flowcast.topology;

import io.flowcast.anomaly.ModelRef;
import io.flowcast.trajectory.WeightedPaths;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of a {@link TrackState} for the forecast store and its changelog, behind a version byte. Version 2
 * appends the stored samples of the rapid update ({@link StoredForecast}); version 1 (before rapid updates) is still
 * read, as a track without stored samples, so a restart on old state forecasts on from it.
 */
final class TrackStateSerde implements Serde<TrackState> {

    static final byte VERSION_1 = 1;
    static final byte VERSION = 2;
    /** Bounds on what a stored state may declare, so a corrupt length never allocates gigabytes. */
    private static final int MAX_VALUES = 1 << 20;

    @Override
    public Serializer<TrackState> serializer() {
        return (topic, track) -> track == null ? null : write(track, VERSION);
    }

    /**
     * The state in a given format version (big-endian, as the version 1 serde wrote it with a ByteBuffer; version 1
     * drops the stored samples: what older instances wrote).
     */
    static byte[] write(TrackState track, byte version) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(version);
            floats(out, track.positions(), true);
            out.writeLong(track.lastEventTime());
            out.writeLong(track.forecastTime());
            out.writeLong(track.stepMillis());
            out.writeInt(track.means().length / 2);
            for (double value : track.means()) {
                out.writeDouble(value);
            }
            for (double value : track.covariances()) {
                out.writeDouble(value);
            }
            if (version >= 2) {
                StoredForecast stored = track.stored();
                out.writeBoolean(stored != null);
                if (stored != null) {
                    byte[] name = stored.model().name().getBytes(StandardCharsets.UTF_8);
                    out.writeInt(name.length);
                    out.write(name);
                    out.writeInt(stored.model().version());
                    out.writeLong(stored.modelTime());
                    floats(out, stored.history(), true);
                    WeightedPaths paths = stored.paths();
                    out.writeInt(paths.samples());
                    out.writeInt(paths.horizons());
                    out.writeInt(paths.observed());
                    floats(out, stored.since(), false);
                    floats(out, paths.paths(), false);
                    for (double w : paths.weights()) {
                        out.writeDouble(w);
                    }
                    floats(out, paths.logDensities(), false);
                    floats(out, paths.mostLikely(), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    private static void floats(DataOutputStream out, float[] values, boolean withLength) throws IOException {
        if (withLength) {
            out.writeInt(values.length);
        }
        for (float value : values) {
            out.writeFloat(value);
        }
    }

    @Override
    public Deserializer<TrackState> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return read(bytes);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("corrupt track state of " + bytes.length + " bytes", e);
            }
        };
    }

    private static TrackState read(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        byte version = in.readByte();
        if (version != VERSION_1 && version != VERSION) {
            throw new SerializationException("unknown track format " + version);
        }
        float[] positions = floats(in, length(in));
        long last = in.readLong();
        long forecastTime = in.readLong();
        long step = in.readLong();
        int horizons = length(in);
        double[] means = doubles(in, 2 * horizons);
        double[] covariances = doubles(in, 3 * horizons);
        StoredForecast stored = null;
        if (version >= 2 && in.readBoolean()) {
            byte[] name = new byte[length(in)];
            in.readFully(name);
            ModelRef model = new ModelRef(new String(name, StandardCharsets.UTF_8), in.readInt());
            long modelTime = in.readLong();
            float[] history = floats(in, length(in));
            int samples = length(in);
            int pathHorizons = length(in);
            int observed = in.readInt();
            float[] since = floats(in, 2 * pathHorizons);
            float[] paths = floats(in, Math.multiplyExact(samples, 2 * pathHorizons));
            double[] weights = doubles(in, samples);
            float[] logDensities = floats(in, samples);
            float[] mostLikely = floats(in, 2 * pathHorizons);
            stored = new StoredForecast(model, modelTime, history, since, new WeightedPaths(samples, pathHorizons,
                    observed, paths, weights, logDensities, mostLikely));
        }
        if (in.available() != 0) {
            throw new SerializationException(in.available() + " trailing bytes");
        }
        return new TrackState(positions, last, forecastTime, step, means, covariances, stored);
    }

    private static int length(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_VALUES) {
            throw new SerializationException("implausible length " + length);
        }
        return length;
    }

    private static float[] floats(DataInputStream in, int count) throws IOException {
        if (count > MAX_VALUES) {
            throw new SerializationException("implausible length " + count);
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }

    private static double[] doubles(DataInputStream in, int count) throws IOException {
        if (count > MAX_VALUES) {
            throw new SerializationException("implausible length " + count);
        }
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }
}
