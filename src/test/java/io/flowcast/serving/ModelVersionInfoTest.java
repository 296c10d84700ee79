package io.flowcast.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.GaussianDensity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the models endpoint shows of a version's context: the time features its fitter chose. */
class ModelVersionInfoTest {

    @Test
    void aServedVersionShowsTheTimeFeaturesItsContextReads() throws Exception {
        ContextSpec gapOnly = new ContextSpec(1, false, false, true); // one feature: a context of 2
        float[] x = {0, 1, 2, 4, 3};
        float[] c = {0, 0, 1, 0.5f, 2, 0.2f, 3, 0.1f, 4, 0.3f};
        StreamModel model = new StreamModel("s.linear-gaussian", 1, List.of("v"), gapOnly,
                GaussianDensity.fit(x, c, 5, 1, 2, 1e-3), HeldOutCalibration.of(new double[] {1, 2, 3}));
        ModelVersionInfo info = ModelVersionInfo.serving(model, Instant.EPOCH);
        assertEquals(List.of("gap"), info.timeFeatures());
        String json = new ObjectMapper().registerModule(new JavaTimeModule()).writeValueAsString(info);
        assertTrue(json.contains("\"timeFeatures\":[\"gap\"]"), json);

        ModelVersionInfo unknown = new ModelVersionInfo("s.flow", 2, false, null, Map.of());
        assertFalse(new ObjectMapper().writeValueAsString(unknown).contains("timeFeatures"),
                "unknown time features are left out, not shown as none");
    }
}
