package io.flowcast.flow.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.FlowParameters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A trained flow packed for serving: a zip holding {@code manifest.json} ({@link FlowManifest}), the
 * {@code log_prob.onnx} and {@code sample.onnx} graphs, and {@code parameters.fcfp} (the raw
 * {@link FlowParameters}, so a retrainer can start from the model and DJL can rebuild it).
 *
 * <p>The bytes are a pure function of the content: fixed entry order, fixed timestamps, deterministic JSON. Reading
 * checks the format version, every entry's SHA-256 against the manifest, and that the parameters fit the config;
 * anything else is an {@link IOException}, never a crash.
 */
public final class FlowArtifact {

    public static final int FORMAT_VERSION = 1;
    public static final String MANIFEST = "manifest.json";
    public static final String LOG_PROB = "log_prob.onnx";
    public static final String SAMPLE = "sample.onnx";
    public static final String PARAMETERS = "parameters.fcfp";
    private static final List<String> PAYLOAD = List.of(LOG_PROB, SAMPLE, PARAMETERS);
    /** A generous bound on an artifact (a d = 32, k = 128 flow is a few MB): refuses zip bombs. */
    private static final long MAX_ENTRY_BYTES = 1L << 30;
    /** 1980-01-01, the zip format's epoch: entries carry no build time, so equal content gives equal bytes. */
    private static final long FIXED_ENTRY_TIME = 315532800000L;

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final FlowManifest manifest;
    private final byte[] logProbModel;
    private final byte[] sampleModel;
    private final FlowParameters parameters;

    private FlowArtifact(FlowManifest manifest, byte[] logProbModel, byte[] sampleModel, FlowParameters parameters) {
        this.manifest = manifest;
        this.logProbModel = logProbModel;
        this.sampleModel = sampleModel;
        this.parameters = parameters;
    }

    /** Assembles an artifact; the manifest's checksums are computed here (whatever {@code manifest} held). */
    static FlowArtifact assemble(FlowManifest manifest, byte[] logProbModel, byte[] sampleModel,
            FlowParameters parameters) {
        Map<String, byte[]> payload = payload(logProbModel, sampleModel, parameters.toBytes());
        Map<String, String> sums = new LinkedHashMap<>();
        payload.forEach((name, bytes) -> sums.put(name, sha256(bytes)));
        FlowManifest sealed = new FlowManifest(manifest.formatVersion(), manifest.modelName(), manifest.modelVersion(),
                manifest.config(), manifest.opset(), manifest.scaler(), manifest.degreesOfFreedom(),
                manifest.trainingMetrics(), sums);
        return new FlowArtifact(sealed, logProbModel.clone(), sampleModel.clone(), parameters);
    }

    public FlowManifest manifest() {
        return manifest;
    }

    /** The serialized ONNX model log_prob(x [B,d], c [B,k]) -> log_prob [B] (no c input when k = 0). */
    public byte[] logProbModel() {
        return logProbModel.clone();
    }

    /** The serialized ONNX model sample(c [B,k], noise [B,d]) -> x [B,d] (no c input when k = 0). */
    public byte[] sampleModel() {
        return sampleModel.clone();
    }

    public FlowParameters parameters() {
        return parameters;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            writeEntry(zip, MANIFEST, JSON.writeValueAsBytes(manifest));
            Map<String, byte[]> payload = payload(logProbModel, sampleModel, parameters.toBytes());
            for (Map.Entry<String, byte[]> entry : payload.entrySet()) {
                writeEntry(zip, entry.getKey(), entry.getValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return out.toByteArray();
    }

    public void save(Path path) throws IOException {
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        Files.write(temporary, toBytes());
        // Readers see the old file or the new one, never half of one (where the file system can move atomically).
        try {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static FlowArtifact load(Path path) throws IOException {
        return fromBytes(Files.readAllBytes(path));
    }

    /** Reads an artifact written by {@link #toBytes}; anything malformed is an IOException naming the problem. */
    public static FlowArtifact fromBytes(byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        Map<String, byte[]> entries = readEntries(bytes);
        byte[] manifestBytes = entries.get(MANIFEST);
        if (manifestBytes == null) {
            throw new IOException("not a flow artifact: no " + MANIFEST);
        }
        FlowManifest manifest;
        try {
            manifest = JSON.readValue(manifestBytes, FlowManifest.class);
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new IOException("unreadable " + MANIFEST + ": " + e.getMessage(), e);
        }
        if (manifest.formatVersion() != FORMAT_VERSION) {
            throw new IOException("unsupported flow artifact format version " + manifest.formatVersion());
        }
        for (String name : PAYLOAD) {
            byte[] content = entries.get(name);
            if (content == null) {
                throw new IOException("flow artifact lacks " + name);
            }
            if (!sha256(content).equals(manifest.sha256().get(name))) {
                throw new IOException("flow artifact entry " + name + " does not match its checksum");
            }
        }
        FlowParameters parameters = FlowParameters.fromBytes(entries.get(PARAMETERS));
        try {
            parameters.checkMatches(new ConditionalFlow(manifest.config()).parameters());
        } catch (IllegalArgumentException e) {
            throw new IOException("flow artifact parameters do not fit its config: " + e.getMessage(), e);
        }
        return new FlowArtifact(manifest, entries.get(LOG_PROB), entries.get(SAMPLE), parameters);
    }

    private static Map<String, byte[]> readEntries(byte[] bytes) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entries.put(entry.getName(), readBounded(zip, entry.getName())) != null) {
                    throw new IOException("flow artifact repeats entry " + entry.getName());
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("not a flow artifact: " + e.getMessage(), e);
        }
        if (entries.isEmpty()) {
            throw new IOException("not a flow artifact: no zip entries");
        }
        return entries;
    }

    private static byte[] readBounded(InputStream in, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        long total = 0;
        for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
            total += n;
            if (total > MAX_ENTRY_BYTES) {
                throw new IOException("flow artifact entry " + name + " exceeds " + MAX_ENTRY_BYTES + " bytes");
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    private static void writeEntry(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(FIXED_ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    private static Map<String, byte[]> payload(byte[] logProb, byte[] sample, byte[] parameters) {
        Map<String, byte[]> payload = new LinkedHashMap<>();
        payload.put(LOG_PROB, logProb);
        payload.put(SAMPLE, sample);
        payload.put(PARAMETERS, parameters);
        return payload;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
