package io.flowcast.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.ContextSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Manifests on the topic as JSON: the fitter's choice of time features round-trips, and older manifests still load. */
class ModelVersionJsonTest {

    /** A manifest as versions before {@code contextTimeFeatures} wrote it (the fields of that record). */
    private static final String OLD_MANIFEST = """
            {"name":"sensor-temperature","version":3,"parent":2,"createdAt":1795000000000,"dataFrom":1,"dataTo":2,
             "trainingRecords":500,"objective":"ar1","dependenceKind":"ar1","dependence":{"rho":0.5},
             "features":["temperature_c"],"contextWindow":8,"timeFeatures":%s,"metrics":{"validation_nll":1.25},
             "scalerMean":[20.0],"scalerStd":[2.0],"calibration":[0.5,1.5],"sha256":"ab","artifactBytes":10,
             "chunks":1}""";

    @Test
    void theChosenTimeFeaturesRoundTrip() throws IOException {
        ContextSpec chosen = new ContextSpec(4, true, false, true);
        ModelVersion manifest = new ModelVersion("s", 2, 1, 5L, 1L, 2L, 100L, "iid", "iid", Map.of(), List.of("a"),
                chosen.window(), chosen.timeFeatures(), chosen.timeFeatureNames(), Map.of("epochs", 3),
                new float[] {1}, new float[] {2}, new double[] {0.1, 0.2}, "cd", 9L, 1);
        ModelVersion read = RegistryJson.read(RegistryJson.write(manifest), ModelVersion.class);
        assertEquals(List.of("hour-of-day", "gap"), read.contextTimeFeatures());
        assertEquals(chosen, read.contextSpec());
        assertTrue(read.timeFeatures());
        assertArrayEquals(new double[] {0.1, 0.2}, read.calibration());
        assertEquals(manifest.sha256(), read.sealed("cd", 9L, 1).sha256());
        assertEquals(chosen, read.withVersion(7, 2).contextSpec(), "renumbering keeps the choice");
    }

    @Test
    void manifestsWrittenBeforeTheChoiceLoadWithAllOrNoTimeFeatures() throws IOException {
        ModelVersion withTime = RegistryJson.read(OLD_MANIFEST.formatted("true").getBytes(StandardCharsets.UTF_8),
                ModelVersion.class);
        assertEquals(new ContextSpec(8, true), withTime.contextSpec());
        assertEquals(List.of("hour-of-day", "day-of-week", "gap"), withTime.contextTimeFeatures());
        assertEquals(3, withTime.version());
        assertEquals(1.25, withTime.metrics().get("validation_nll"));

        ModelVersion without = RegistryJson.read(OLD_MANIFEST.formatted("false").getBytes(StandardCharsets.UTF_8),
                ModelVersion.class);
        assertEquals(new ContextSpec(8, false), without.contextSpec());
        assertFalse(without.timeFeatures());
        assertEquals(List.of(), without.contextTimeFeatures());
    }

    @Test
    void anUnknownTimeFeatureIsAnUnreadableManifestNotACrash() {
        byte[] bad = OLD_MANIFEST.formatted("true").replace("\"timeFeatures\":true",
                "\"timeFeatures\":true,\"contextTimeFeatures\":[\"moon-phase\"]").getBytes(StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> RegistryJson.read(bad, ModelVersion.class));
    }

    @Test
    void theOlderConstructorMeansAllTimeFeatures() {
        ModelVersion manifest = new ModelVersion("s", 1, null, 5L, 1L, 2L, 100L, "iid", "iid", Map.of(), List.of("a"),
                2, true, Map.of(), new float[] {1}, new float[] {2}, new double[] {0.1}, null, 0, 0);
        assertEquals(new ContextSpec(2, true), manifest.contextSpec());
    }
}
