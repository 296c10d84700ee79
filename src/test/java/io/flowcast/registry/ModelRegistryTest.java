package io.flowcast.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.KafkaBrokerResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry against the real in-JVM broker: chunked artifacts, activations, rollback, refusal, the cache. */
class ModelRegistryTest {

    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path temp;

    private static ModelRegistry registry(Path cache) {
        return new ModelRegistry(KafkaBrokerResource.bootstrapServers(), TopicNames.MODELS, cache, CHUNK);
    }

    private static byte[] artifact(long seed, int length) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static ModelVersion draft(String name, Integer parent) {
        return new ModelVersion(name, parent == null ? 1 : parent + 1, parent, System.currentTimeMillis(), 1000, 2000, 500, "ar1", "ar1",
                Map.of("rho", 0.7), List.of("a", "b"), 2, false, Map.of("validation_nll", 1.25),
                new float[] {1, 2}, new float[] {3, 4}, new double[] {0.5, 1.5, 2.5}, null, 0, 0);
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aChunkedArtifactRoundTripsWithItsManifest() throws Exception {
        String name = "test-" + UUID.randomUUID();
        byte[] bytes = artifact(1, 5 * CHUNK + 123);
        try (ModelRegistry writer = registry(null); ModelRegistry reader = registry(temp.resolve("cache"))) {
            assertTrue(writer.awaitCaughtUp(Duration.ofSeconds(30)));
            ModelVersion published = writer.publish(draft(name, null), bytes);
            assertEquals(1, published.version());
            assertEquals(6, published.chunks());
            eventually(() -> reader.artifact(name, 1).isPresent(), "the reader assembles v1");
            assertArrayEquals(bytes, reader.artifact(name, 1).orElseThrow());
            ModelVersion read = reader.manifest(name, 1).orElseThrow();
            assertEquals(published.sha256(), read.sha256());
            assertEquals(Map.of("rho", 0.7), read.dependence());
            assertArrayEquals(new double[] {0.5, 1.5, 2.5}, read.calibration());
            assertEquals(1.25, ((Number) read.metrics().get("validation_nll")).doubleValue());
            assertTrue(reader.serving(name).isEmpty(), "published is not active");
            eventually(() -> writer.manifest(name, 1).isPresent(), "the writer reads its own version back");
            assertEquals(2, writer.nextVersion(name), "versions count up");
            assertEquals(2, writer.publish(draft(name, 1), artifact(2, 100)).version());
            assertThrows(IllegalStateException.class, () -> writer.publish(draft(name, null), artifact(2, 100)),
                    "v1 exists");
        }
        // A restarted instance with the same cache finds v1 there instead of reassembling it.
        try (ModelRegistry restarted = registry(temp.resolve("cache"))) {
            assertTrue(restarted.awaitCaughtUp(Duration.ofSeconds(30)));
            assertArrayEquals(bytes, restarted.artifact(name, 1).orElseThrow());
            assertTrue(restarted.cacheHits() >= 1, "cache hits " + restarted.cacheHits());
        }
    }

    @Test
    void twoInstancesSwitchOnActivationAndBackOnARollbackRecord() throws Exception {
        String name = "test-" + UUID.randomUUID();
        try (ModelRegistry a = registry(temp.resolve("a")); ModelRegistry b = registry(null)) {
            List<Integer> seenByA = new CopyOnWriteArrayList<>();
            List<Integer> seenByB = new CopyOnWriteArrayList<>();
            a.addListener(event -> {
                if (event.version().name().equals(name)) {
                    seenByA.add(event.version().version());
                }
            });
            b.addListener(event -> {
                if (event.version().name().equals(name)) {
                    seenByB.add(event.version().version());
                }
            });
            assertTrue(a.awaitCaughtUp(Duration.ofSeconds(30)));
            a.publish(draft(name, null), artifact(3, 2 * CHUNK));
            a.activate(name, 1, "first");
            eventually(() -> seenByA.equals(List.of(1)) && seenByB.equals(List.of(1)), "both serve v1");
            eventually(() -> a.manifest(name, 1).isPresent(), "a saw v1");
            a.publish(draft(name, 1), artifact(4, 3 * CHUNK));
            long published = System.nanoTime();
            a.activate(name, 2, "promoted");
            eventually(() -> seenByA.equals(List.of(1, 2)) && seenByB.equals(List.of(1, 2)), "both serve v2");
            double seconds = (System.nanoTime() - published) / 1e9;
            assertTrue(seconds < 5, "switched in " + seconds + " s");
            b.activate(name, 1, "rollback");
            eventually(() -> seenByA.equals(List.of(1, 2, 1)) && seenByB.equals(List.of(1, 2, 1)),
                    "both serve v1 again");
            assertEquals(Optional.of(1), b.serving(name).map(ModelVersion::version));
        }
    }

    @Test
    void aCorruptedArtifactIsRefusedAndTheOldVersionKeepsServing() throws Exception {
        String name = "test-" + UUID.randomUUID();
        try (ModelRegistry registry = registry(null)) {
            assertTrue(registry.awaitCaughtUp(Duration.ofSeconds(30)));
            registry.publish(draft(name, null), artifact(5, CHUNK + 10));
            registry.activate(name, 1, "first");
            eventually(() -> registry.serving(name).isPresent(), "v1 serves");
            // v2's manifest promises bytes its chunk does not hold (a flipped byte in transit or at rest).
            byte[] good = artifact(6, 1000);
            byte[] bad = good.clone();
            bad[500] ^= 1;
            ModelVersion v2 = draft(name, 1).sealed(RegistryJson.sha256(good), good.length, 1);
            registry.sendRaw(RegistryKeys.chunk(name, 2, 0), bad);
            registry.sendRaw(RegistryKeys.version(name, 2), RegistryJson.write(v2));
            registry.activate(name, 2, "corrupt");
            // garbage on the topic is ignored too
            registry.sendRaw(RegistryKeys.active(name + "x"), "{not json".getBytes());
            registry.sendRaw("nonsense".getBytes(), new byte[] {1, 2});
            eventually(() -> registry.refusedArtifacts() >= 1, "v2 refused");
            assertEquals(1, registry.serving(name).orElseThrow().version(), "v1 keeps serving");
            assertTrue(registry.artifact(name, 2).isEmpty());
        }
        assertTrue(Files.exists(temp));
    }

    @Test
    void twoPublishersNeverTakeTheSameVersion() throws Exception {
        String name = "test-" + UUID.randomUUID();
        try (ModelRegistry a = registry(null); ModelRegistry b = registry(null)) {
            assertTrue(a.awaitCaughtUp(Duration.ofSeconds(30)));
            assertTrue(b.awaitCaughtUp(Duration.ofSeconds(30)));
            // Both saw no version yet and claim v1 at the same moment: the topic's order picks one.
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                java.util.concurrent.Future<Boolean> byA = pool.submit(() -> a.claim(name, 1));
                java.util.concurrent.Future<Boolean> byB = pool.submit(() -> b.claim(name, 1));
                boolean aWon = byA.get(60, java.util.concurrent.TimeUnit.SECONDS);
                boolean bWon = byB.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(aWon ^ bWon, "exactly one claim of v1 wins: a " + aWon + ", b " + bWon);
                ModelRegistry winner = aWon ? a : b;
                ModelRegistry loser = aWon ? b : a;
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> loser.publish(draft(name, null), artifact(7, 100)));
                assertTrue(refused.getMessage().contains("claimed"), refused.getMessage());
                assertEquals(1, winner.publish(draft(name, null), artifact(7, 100)).version());

                // Two retrainers claiming their next versions concurrently get distinct numbers, all above v1.
                List<java.util.concurrent.Future<Integer>> claims = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    claims.add(pool.submit(() -> a.claimNextVersion(name)));
                    claims.add(pool.submit(() -> b.claimNextVersion(name)));
                }
                java.util.Set<Integer> versions = new java.util.TreeSet<>();
                for (java.util.concurrent.Future<Integer> claim : claims) {
                    versions.add(claim.get(60, java.util.concurrent.TimeUnit.SECONDS));
                }
                assertEquals(8, versions.size(), "distinct versions: " + versions);
                assertTrue(versions.stream().allMatch(v -> v > 1), versions.toString());
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
