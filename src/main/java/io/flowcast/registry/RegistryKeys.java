package io.flowcast.registry;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The keys of {@code flowcast.models}. Each is unique to what it carries, so compaction keeps every version's
 * manifest and chunks and only the newest activation per model:
 * <ul>
 *   <li>{@code version/<name>/<version>}: a {@link ModelVersion} (JSON)</li>
 *   <li>{@code chunk/<name>/<version>/<index>}: bytes of the artifact, in order</li>
 *   <li>{@code active/<name>}: an {@link Activation} (JSON)</li>
 *   <li>{@code claim/<name>/<version>}: the id of a publisher that means to publish that version (UTF-8); the
 *       first claim on the topic wins, so two retrainers never publish the same version</li>
 * </ul>
 */
final class RegistryKeys {

    enum Kind { VERSION, CHUNK, ACTIVE, CLAIM }

    /** A parsed key. {@code version} and {@code chunk} are -1 where the kind has none. */
    record Key(Kind kind, String name, int version, int chunk) {
        String versionKey() {
            return name + "/" + version;
        }
    }

    private RegistryKeys() {
    }

    static byte[] version(String name, int version) {
        return bytes("version/" + name + "/" + version);
    }

    static byte[] chunk(String name, int version, int index) {
        return bytes("chunk/" + name + "/" + version + "/" + index);
    }

    static byte[] claim(String name, int version) {
        return bytes("claim/" + name + "/" + version);
    }

    static byte[] active(String name) {
        return bytes("active/" + name);
    }

    /** Empty for a key this version of the registry does not know (written by a newer one, or garbage). */
    static Optional<Key> parse(byte[] key) {
        if (key == null) {
            return Optional.empty();
        }
        String[] parts = new String(key, StandardCharsets.UTF_8).split("/", -1);
        try {
            return switch (parts[0]) {
                case "version" -> parts.length == 3
                        ? Optional.of(new Key(Kind.VERSION, parts[1], Integer.parseInt(parts[2]), -1))
                        : Optional.empty();
                case "chunk" -> parts.length == 4 ? Optional.of(new Key(Kind.CHUNK, parts[1],
                        Integer.parseInt(parts[2]), Integer.parseInt(parts[3]))) : Optional.empty();
                case "claim" -> parts.length == 3
                        ? Optional.of(new Key(Kind.CLAIM, parts[1], Integer.parseInt(parts[2]), -1))
                        : Optional.empty();
                case "active" -> parts.length == 2 ? Optional.of(new Key(Kind.ACTIVE, parts[1], -1, -1))
                        : Optional.empty();
                default -> Optional.empty();
            };
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
