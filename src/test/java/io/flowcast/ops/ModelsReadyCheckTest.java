package io.flowcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowcast.flow.ContextSpec;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.ModelReadiness;
import io.flowcast.serving.StreamModel;
import io.flowcast.serving.StreamProfile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class ModelsReadyCheckTest {

    /** A catalog whose streams stand where the test says. */
    private record Standing(Map<String, ModelReadiness> readiness) implements ModelCatalog {
        @Override
        public Set<String> streams() {
            return readiness.keySet();
        }

        @Override
        public Optional<StreamProfile> profile(String stream) {
            return Optional.of(new StreamProfile(stream, List.of("x"), new ContextSpec(1, false), 0.01));
        }

        @Override
        public Optional<StreamModel> current(String stream) {
            return Optional.empty();
        }

        @Override
        public ModelReadiness readiness(String stream) {
            return readiness.get(stream);
        }
    }

    @Test
    void learningAndServingStreamsAreReady() {
        HealthCheckResponse response = new ModelsReadyCheck(new Standing(Map.of(
                "a", ModelReadiness.SERVING, "b", ModelReadiness.LEARNING))).call();
        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertEquals(Map.of("a", "SERVING", "b", "LEARNING"), response.getData().orElseThrow());
    }

    @Test
    void aLoadingModelHoldsReadinessBack() {
        HealthCheckResponse response = new ModelsReadyCheck(new Standing(Map.of(
                "a", ModelReadiness.SERVING, "b", ModelReadiness.LOADING))).call();
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertEquals("LOADING", response.getData().orElseThrow().get("b"));
    }

    @Test
    void theDefaultReadinessFollowsTheCurrentModel() {
        ModelCatalog empty = new ModelCatalog() {
            @Override
            public Set<String> streams() {
                return Set.of("s");
            }

            @Override
            public Optional<StreamProfile> profile(String stream) {
                return Optional.empty();
            }

            @Override
            public Optional<StreamModel> current(String stream) {
                return Optional.empty();
            }
        };
        assertEquals(ModelReadiness.LEARNING, empty.readiness("s"));
        assertEquals(List.of(), empty.versions("s"));
    }
}
