package io.flowcast.topology;

import static io.flowcast.topology.TopologyHarness.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.flow.ConditionalDensity;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.ModelLease;
import io.flowcast.serving.StreamModel;
import io.flowcast.serving.StreamProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology scores a batch under a lease on its model: a version replaced while its batch is being scored is
 * closed only once that batch is done, every record of the batch names it, and the next batch is scored by the
 * new version.
 */
class ModelLeaseTopologyTest {

    private static final Duration WAIT = Duration.ofMillis(5);
    private static final ScoringTopology.Options BATCHED =
            new ScoringTopology.Options(16, Duration.ofMinutes(10), 4096, "pedestrians").withBatching(64, WAIT);

    @TempDir
    Path stateDir;

    @Test
    void aVersionReplacedDuringItsBatchIsClosedOnlyAfterTheBatch() {
        LeasingCatalog catalog = new LeasingCatalog(TopologyHarness.SINE);
        ClosableDensity d1 = new ClosableDensity(TopologyHarness.sineDensity());
        ClosableDensity d2 = new ClosableDensity(TopologyHarness.sineDensity());
        StreamModel v1 = TopologyHarness.sineModel("sine", 1, d1);
        StreamModel v2 = TopologyHarness.sineModel("sine", 2, d2);
        catalog.publish(v1, d1);
        // The registry publishes v2 while v1 is in the middle of scoring its batch.
        d1.onFirstLogProb = () -> catalog.publish(v2, d2);
        try (TopologyHarness harness = new TopologyHarness(catalog, BATCHED, stateDir)) {
            for (int i = 0; i < 8; i++) {
                harness.sine("e1", T0 + i * 1000L, i % 3);
            }
            harness.tick(WAIT);
            List<AnomalyDescriptor> first = harness.scores.readValuesToList();
            assertEquals(8, first.size());
            assertTrue(first.stream().filter(d -> !d.warmingUp()).allMatch(d -> d.model().equals(
                    new ModelRef("sine", 1))), "the whole batch is scored by the version it leased");
            assertFalse(d1.usedAfterClose, "v1 was closed while its batch still used it");
            assertTrue(d1.closed, "v1 is closed once its batch is done and no lease holds it");
            assertEquals(0, catalog.openLeases());

            for (int i = 8; i < 12; i++) {
                harness.sine("e1", T0 + i * 1000L, i % 3);
            }
            harness.tick(WAIT);
            List<AnomalyDescriptor> second = harness.scores.readValuesToList();
            assertEquals(4, second.size());
            assertTrue(second.stream().allMatch(d -> d.model().equals(new ModelRef("sine", 2))));
            assertFalse(d2.closed);
            assertEquals(0, catalog.openLeases(), "every batch gives its leases back");
            assertTrue(harness.deadLetters.isEmpty());
        }
    }

    /** Reference-counts leases per version and closes a replaced version when its last lease closes. */
    private static final class LeasingCatalog implements ModelCatalog {
        private final StreamProfile profile;
        private final Map<StreamModel, Integer> leases = new HashMap<>();
        private final Map<StreamModel, ClosableDensity> resources = new HashMap<>();
        private final List<StreamModel> retired = new ArrayList<>();
        private StreamModel serving;

        LeasingCatalog(StreamProfile profile) {
            this.profile = profile;
        }

        synchronized void publish(StreamModel next, ClosableDensity resource) {
            resources.put(next, resource);
            if (serving != null) {
                retired.add(serving);
                closeIfIdle(serving);
            }
            serving = next;
        }

        synchronized int openLeases() {
            return leases.values().stream().mapToInt(Integer::intValue).sum();
        }

        private void closeIfIdle(StreamModel model) {
            if (retired.contains(model) && leases.getOrDefault(model, 0) == 0) {
                resources.get(model).closed = true;
            }
        }

        @Override
        public Set<String> streams() {
            return Set.of(profile.name());
        }

        @Override
        public Optional<StreamProfile> profile(String stream) {
            return Optional.of(profile).filter(p -> p.name().equals(stream));
        }

        @Override
        public synchronized Optional<StreamModel> current(String stream) {
            return Optional.ofNullable(serving);
        }

        @Override
        public synchronized Optional<ModelLease> lease(String stream) {
            StreamModel model = serving;
            leases.merge(model, 1, Integer::sum);
            return Optional.of(new ModelLease() {
                @Override
                public StreamModel model() {
                    return model;
                }

                @Override
                public void close() {
                    synchronized (LeasingCatalog.this) {
                        leases.merge(model, -1, Integer::sum);
                        closeIfIdle(model);
                    }
                }
            });
        }
    }

    /** A density standing for a model's native session: it records any use after it was closed. */
    private static final class ClosableDensity implements ConditionalDensity {
        private final ConditionalDensity inner;
        volatile boolean closed;
        volatile boolean usedAfterClose;
        Runnable onFirstLogProb;

        ClosableDensity(ConditionalDensity inner) {
            this.inner = inner;
        }

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public int contextDimension() {
            return inner.contextDimension();
        }

        @Override
        public float[] logProb(float[] x, float[] c, int batch) {
            if (onFirstLogProb != null) {
                Runnable hook = onFirstLogProb;
                onFirstLogProb = null;
                hook.run();
            }
            usedAfterClose |= closed;
            return inner.logProb(x, c, batch);
        }

        @Override
        public float[] sample(float[] c, int batch, int n, long seed) {
            usedAfterClose |= closed;
            return inner.sample(c, batch, n, seed);
        }
    }
}
