package io.flowcast.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** JSON of registry records (deterministic: sorted map keys) and the artifact checksum. */
final class RegistryJson {

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private RegistryJson() {
    }

    static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON-writable: " + e.getMessage(), e);
        }
    }

    /** Reads a registry record; anything malformed is an IOException (never a crash of the reader). */
    static <T> T read(byte[] bytes, Class<T> type) throws IOException {
        if (bytes == null) {
            throw new IOException("no value");
        }
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException | RuntimeException e) {
            throw new IOException("unreadable " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
