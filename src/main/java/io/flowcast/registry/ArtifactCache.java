package io.flowcast.registry;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Verified artifacts on local disk, by model name, version and checksum, so a restarted instance does not keep
 * every chunk it reads from the topic in memory nor reassemble what it already has. A file is trusted only when its
 * SHA-256 still matches the manifest's; a damaged file is deleted and the topic's copy is used.
 */
final class ArtifactCache {

    private static final Logger LOG = Logger.getLogger(ArtifactCache.class);

    private final Path directory;

    /** @param directory where artifacts are kept; null keeps nothing on disk */
    ArtifactCache(Path directory) {
        this.directory = directory;
    }

    boolean enabled() {
        return directory != null;
    }

    private Path path(ModelVersion version) {
        return directory.resolve(version.name()).resolve(version.version() + "-" + version.sha256() + ".fcm");
    }

    /** The artifact's bytes when a file with the matching checksum is there. */
    Optional<byte[]> read(ModelVersion version) {
        if (directory == null || version.sha256() == null) {
            return Optional.empty();
        }
        Path path = path(version);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(path);
            if (version.sha256().equals(RegistryJson.sha256(bytes))) {
                return Optional.of(bytes);
            }
            LOG.warnf("Cached artifact %s does not match its checksum; deleting it", path);
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warnf("Cannot read cached artifact %s: %s", path, e.getMessage());
        }
        return Optional.empty();
    }

    boolean contains(ModelVersion version) {
        return read(version).isPresent();
    }

    /** Writes verified bytes (atomically where the file system allows); a failure only costs the cache. */
    void write(ModelVersion version, byte[] bytes) {
        if (directory == null) {
            return;
        }
        Path path = path(version);
        try {
            Files.createDirectories(path.getParent());
            Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
            Files.write(temporary, bytes);
            try {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warnf("Cannot cache artifact %s: %s", path, e.getMessage());
        }
    }
}
