package io.flowcast.flow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * The values of a flow's parameters: named float arrays with shapes, in declaration order. Immutable.
 *
 * <p>Binary format (version 1, big-endian): magic {@code FCFP}, version, count, then per parameter its name (UTF),
 * trainable flag, rank, dimensions and raw float bits; a CRC-32 of everything before it closes the file. The same
 * parameters always give the same bytes, so a saved model reloads to bit-identical scores.
 */
public final class FlowParameters {

    private static final int MAGIC = 0x46434650; // "FCFP"
    private static final int VERSION = 1;
    private static final int MAX_PARAMETERS = 100_000;
    private static final int MAX_RANK = 8;

    /** One named tensor. */
    public record Tensor(long[] shape, float[] values, boolean trainable) {
        public Tensor {
            shape = shape.clone();
            values = values.clone();
            if (ParameterSpec.elementCount(shape) != values.length) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
            }
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public float[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Tensor t && trainable == t.trainable && Arrays.equals(shape, t.shape)
                    && Arrays.equals(values, t.values);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(values)) + Boolean.hashCode(trainable);
        }

        @Override
        public String toString() {
            return Arrays.toString(shape) + (trainable ? "" : " (fixed)");
        }
    }

    private final Map<String, Tensor> tensors;

    private FlowParameters(Map<String, Tensor> tensors) {
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Fresh parameters for the given specs. Each parameter's draws depend only on the seed and its own name. */
    public static FlowParameters initialize(List<ParameterSpec> specs, long seed) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (ParameterSpec spec : specs) {
            SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * spec.name().hashCode()));
            float[] values = spec.initializer().initialValues(spec.shape(), random);
            if (tensors.put(spec.name(), new Tensor(spec.shape(), values, spec.trainable())) != null) {
                throw new IllegalArgumentException("duplicate parameter " + spec.name());
            }
        }
        return new FlowParameters(tensors);
    }

    /** Parameters from explicit tensors (kept in the map's iteration order). */
    public static FlowParameters of(Map<String, Tensor> tensors) {
        return new FlowParameters(new LinkedHashMap<>(tensors));
    }

    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public Tensor tensor(String name) {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return tensor;
    }

    public float[] values(String name) {
        return tensor(name).values();
    }

    public long[] shape(String name) {
        return tensor(name).shape();
    }

    public boolean trainable(String name) {
        return tensor(name).trainable();
    }

    /** A copy with one parameter's values replaced (same shape). */
    public FlowParameters with(String name, float[] values) {
        Tensor old = tensor(name);
        Map<String, Tensor> copy = new LinkedHashMap<>(tensors);
        copy.put(name, new Tensor(old.shape, values, old.trainable));
        return new FlowParameters(copy);
    }

    /** Throws unless these parameters have exactly the names and shapes the specs declare. */
    public void checkMatches(List<ParameterSpec> specs) {
        List<String> problems = new ArrayList<>();
        for (ParameterSpec spec : specs) {
            Tensor tensor = tensors.get(spec.name());
            if (tensor == null) {
                problems.add("missing " + spec.name());
            } else if (!Arrays.equals(tensor.shape, spec.shape())) {
                problems.add(spec.name() + " has shape " + Arrays.toString(tensor.shape) + ", expected "
                        + Arrays.toString(spec.shape()));
            }
        }
        if (tensors.size() != specs.size()) {
            problems.add("expected " + specs.size() + " parameters, found " + tensors.size());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("parameters do not fit the model: " + String.join("; ", problems));
        }
    }

    public int totalSize() {
        return tensors.values().stream().mapToInt(t -> t.values.length).sum();
    }

    public void writeTo(OutputStream out) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(buffer);
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeInt(tensors.size());
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            Tensor tensor = entry.getValue();
            data.writeUTF(entry.getKey());
            data.writeBoolean(tensor.trainable);
            data.writeInt(tensor.shape.length);
            for (long dim : tensor.shape) {
                data.writeLong(dim);
            }
            for (float value : tensor.values) {
                data.writeInt(Float.floatToRawIntBits(value));
            }
        }
        data.flush();
        byte[] body = buffer.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(body);
        out.write(body);
        new DataOutputStream(out).writeLong(crc.getValue());
        out.flush();
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return out.toByteArray();
    }

    /** Reads parameters written by {@link #writeTo}; malformed or corrupted input gives an IOException. */
    public static FlowParameters readFrom(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        if (all.length < 20) {
            throw new IOException("not a flow parameter file: too short");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = new DataInputStream(new ByteArrayInputStream(all, all.length - 8, 8)).readLong();
        if (stored != crc.getValue()) {
            throw new IOException("flow parameter file is corrupted (checksum mismatch)");
        }
        DataInputStream data = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8));
        if (data.readInt() != MAGIC) {
            throw new IOException("not a flow parameter file: bad magic");
        }
        int version = data.readInt();
        if (version != VERSION) {
            throw new IOException("unsupported flow parameter format version " + version);
        }
        int count = data.readInt();
        if (count < 0 || count > MAX_PARAMETERS) {
            throw new IOException("implausible parameter count " + count);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = data.readUTF();
            boolean trainable = data.readBoolean();
            int rank = data.readInt();
            if (rank < 0 || rank > MAX_RANK) {
                throw new IOException("implausible rank " + rank + " for " + name);
            }
            long[] shape = new long[rank];
            long elements = 1;
            for (int r = 0; r < rank; r++) {
                shape[r] = data.readLong();
                if (shape[r] < 0) {
                    throw new IOException("negative dimension for " + name);
                }
                elements *= shape[r];
                if (elements * 4 > all.length) {
                    throw new IOException("parameter " + name + " is larger than the file");
                }
            }
            float[] values = new float[(int) elements];
            for (int v = 0; v < values.length; v++) {
                values[v] = Float.intBitsToFloat(data.readInt());
            }
            if (tensors.put(name, new Tensor(shape, values, trainable)) != null) {
                throw new IOException("duplicate parameter " + name);
            }
        }
        if (data.available() != 0) {
            throw new IOException("trailing bytes after the parameters");
        }
        return new FlowParameters(tensors);
    }

    public static FlowParameters fromBytes(byte[] bytes) throws IOException {
        return readFrom(new ByteArrayInputStream(bytes));
    }

    public void save(Path path) throws IOException {
        Files.write(path, toBytes());
    }

    public static FlowParameters load(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return readFrom(in);
        }
    }

    /** Equal when names, order, shapes, flags and every value's bits agree. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof FlowParameters that)) {
            return false;
        }
        return new ArrayList<>(tensors.entrySet()).equals(new ArrayList<>(that.tensors.entrySet()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(new ArrayList<>(tensors.entrySet()));
    }

    @Override
    public String toString() {
        return "FlowParameters" + tensors;
    }
}
