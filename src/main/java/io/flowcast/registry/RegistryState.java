package io.flowcast.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * What the records of {@code flowcast.models} say, folded in arrival order: manifests, chunks until their artifact
 * is complete and verified, and activations. Records may arrive in any order (chunks after their manifest or
 * before, an activation before its version is complete); an activation takes effect once its version's artifact
 * is complete and matches its SHA-256. A version whose bytes do not match is refused, and the version that served
 * before keeps serving. Not thread-safe: {@link ModelRegistry} serialises access.
 */
final class RegistryState {

    private static final Logger LOG = Logger.getLogger(RegistryState.class);

    /** What folding one record changed for serving: an activation of a verified version to announce. */
    record Change(Activation activation, ModelVersion version) {
    }

    private final ArtifactCache cache;
    private final Map<String, ModelVersion> manifests = new HashMap<>();
    private final Map<String, TreeMap<Integer, byte[]>> chunks = new HashMap<>();
    /** Verified artifacts held in memory (only without a cache directory). */
    private final Map<String, byte[]> inMemory = new HashMap<>();
    private final Set<String> verified = new HashSet<>();
    private final Set<String> refused = new HashSet<>();
    private final Map<String, Activation> activations = new HashMap<>();
    private final Map<String, Integer> announced = new HashMap<>();
    private final Map<String, Integer> highestVersion = new HashMap<>();
    /** The first claimant of each version (name/version), as every instance reads them in the same order. */
    private final Map<String, String> claims = new HashMap<>();
    private long refusedCount;
    private long cacheHits;

    RegistryState(ArtifactCache cache) {
        this.cache = cache;
    }

    /** Folds one record; returns the activations that now take effect (at most one). */
    List<Change> apply(byte[] key, byte[] value) {
        Optional<RegistryKeys.Key> parsed = RegistryKeys.parse(key);
        if (parsed.isEmpty()) {
            return List.of();
        }
        RegistryKeys.Key k = parsed.get();
        if (value == null) {
            // A tombstone: compaction's way of forgetting a key; serving state is unaffected.
            return List.of();
        }
        try {
            return switch (k.kind()) {
                case VERSION -> onVersion(k, RegistryJson.read(value, ModelVersion.class));
                case CHUNK -> onChunk(k, value);
                case ACTIVE -> onActivation(RegistryJson.read(value, Activation.class));
                case CLAIM -> onClaim(k, new String(value, java.nio.charset.StandardCharsets.UTF_8));
            };
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("Ignoring registry record %s: %s", new String(key, java.nio.charset.StandardCharsets.UTF_8),
                    e.getMessage());
            return List.of();
        }
    }

    private List<Change> onVersion(RegistryKeys.Key key, ModelVersion version) {
        if (!version.name().equals(key.name()) || version.version() != key.version()) {
            throw new IllegalArgumentException("manifest names " + version.name() + " v" + version.version());
        }
        String id = key.versionKey();
        manifests.put(id, version);
        highestVersion.merge(version.name(), version.version(), Math::max);
        if (cache.contains(version)) {
            cacheHits++;
            verified.add(id);
            chunks.remove(id);
            return announce(version.name());
        }
        return tryAssemble(id);
    }

    private List<Change> onChunk(RegistryKeys.Key key, byte[] value) {
        String id = key.versionKey();
        highestVersion.merge(key.name(), key.version(), Math::max);
        if (verified.contains(id) || key.chunk() < 0) {
            return List.of();
        }
        chunks.computeIfAbsent(id, i -> new TreeMap<>()).put(key.chunk(), value);
        return tryAssemble(id);
    }

    private List<Change> onClaim(RegistryKeys.Key key, String claimant) {
        claims.putIfAbsent(key.versionKey(), claimant);
        highestVersion.merge(key.name(), key.version(), Math::max);
        return List.of();
    }

    /** Who claimed a version first (empty when nobody has). */
    Optional<String> claimant(String name, int version) {
        return Optional.ofNullable(claims.get(name + "/" + version));
    }

    private List<Change> onActivation(Activation activation) {
        activations.put(activation.name(), activation);
        return announce(activation.name());
    }

    private List<Change> tryAssemble(String id) {
        ModelVersion version = manifests.get(id);
        TreeMap<Integer, byte[]> parts = chunks.get(id);
        if (version == null || parts == null || parts.size() < version.chunks()) {
            return List.of();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < version.chunks(); i++) {
            byte[] part = parts.get(i);
            if (part == null) {
                return List.of();
            }
            bytes.writeBytes(part);
        }
        chunks.remove(id);
        byte[] artifact = bytes.toByteArray();
        if (artifact.length != version.artifactBytes() || !RegistryJson.sha256(artifact).equals(version.sha256())) {
            refused.add(id);
            refusedCount++;
            LOG.errorf("Refusing %s v%d: its artifact does not match the manifest's SHA-256 (or length)",
                    version.name(), version.version());
            return announce(version.name());
        }
        refused.remove(id);
        verified.add(id);
        if (cache.enabled()) {
            cache.write(version, artifact);
        } else {
            inMemory.put(id, artifact);
        }
        return announce(version.name());
    }

    /** The active version of {@code name}, if it is verified and not yet announced. */
    private List<Change> announce(String name) {
        Activation activation = activations.get(name);
        if (activation == null) {
            return List.of();
        }
        String id = name + "/" + activation.version();
        if (refused.contains(id)) {
            LOG.errorf("Activation of %s v%d refused: its artifact failed verification; v%s keeps serving", name,
                    activation.version(), announced.get(name));
            return List.of();
        }
        if (!verified.contains(id) || Integer.valueOf(activation.version()).equals(announced.get(name))) {
            return List.of();
        }
        announced.put(name, activation.version());
        List<Change> changes = new ArrayList<>();
        changes.add(new Change(activation, manifests.get(id)));
        return changes;
    }

    Optional<ModelVersion> manifest(String name, int version) {
        return Optional.ofNullable(manifests.get(name + "/" + version));
    }

    /** The verified artifact bytes of a version (from memory or the cache, checksum re-checked). */
    Optional<byte[]> artifact(String name, int version) {
        String id = name + "/" + version;
        ModelVersion manifest = manifests.get(id);
        if (manifest == null || !verified.contains(id)) {
            return Optional.empty();
        }
        byte[] held = inMemory.get(id);
        return held != null ? Optional.of(held) : cache.read(manifest);
    }

    /** The activation record of a model, whatever the state of its version. */
    Optional<Activation> activation(String name) {
        return Optional.ofNullable(activations.get(name));
    }

    /** The version that serves: the last activation whose artifact verified. */
    Optional<Integer> serving(String name) {
        return Optional.ofNullable(announced.get(name));
    }

    int nextVersion(String name) {
        return highestVersion.getOrDefault(name, 0) + 1;
    }

    Set<String> names() {
        Set<String> names = new HashSet<>(activations.keySet());
        highestVersion.keySet().forEach(names::add);
        return names;
    }

    long refusedCount() {
        return refusedCount;
    }

    long cacheHits() {
        return cacheHits;
    }
}
