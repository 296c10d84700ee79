package io.flowcast.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlowConfigTest {

    @Test
    void defaultsAreValidAndNamed() {
        FlowConfig config = FlowConfig.defaults(3, 2);
        assertEquals(List.of("x0", "x1", "x2"), config.featureNames());
        assertEquals(List.of("c0", "c1"), config.contextNames());
        assertEquals(1, config.identityDimension());
        assertEquals(2, config.transformedDimension());
        assertEquals(config, config.toBuilder().build());
    }

    @Test
    void rangesAreEnforced() {
        assertThrows(IllegalArgumentException.class, () -> FlowConfig.defaults(0, 0));
        assertThrows(IllegalArgumentException.class, () -> FlowConfig.defaults(33, 0));
        assertThrows(IllegalArgumentException.class, () -> FlowConfig.defaults(2, 129));
        assertThrows(IllegalArgumentException.class, () -> FlowConfig.builder(2, 0).bins(1).build());
        assertThrows(IllegalArgumentException.class, () -> FlowConfig.builder(2, 0).tailBound(Float.NaN).build());
        assertThrows(IllegalArgumentException.class, () -> FlowConfig.builder(2, 0).minBinWidth(0.2f).build());
        assertThrows(IllegalArgumentException.class,
                () -> FlowConfig.builder(2, 0).featureNames(List.of("a", "a")).build());
        assertThrows(IllegalArgumentException.class, () -> FlowConfig.builder(2, 0).featureNames(List.of("a")).build());
    }

    @Test
    void parameterListFollowsTheConfig() {
        ConditionalFlow spline = new ConditionalFlow(FlowConfig.builder(5, 4).couplings(3).hiddenLayers(2).build());
        // scaler (4) + per coupling 3 layers x (weight, bias)
        assertEquals(4 + 3 * 6, spline.parameters().size());
        ParameterSpec output = spline.parameters().stream()
                .filter(p -> p.name().equals("coupling0.layer2.weight")).findFirst().orElseThrow();
        assertEquals(64 * 3 * (3 * 8 - 1), output.size());
        ConditionalFlow lu = new ConditionalFlow(FlowConfig.builder(5, 0).couplings(3).mixing(MixingKind.LU)
                .base(BaseKind.STUDENT_T).build());
        // scaler (2) + couplings (3 x 6) + 2 LU layers x 3 + df
        assertEquals(2 + 18 + 6 + 1, lu.parameters().size());
        ConditionalFlow single = new ConditionalFlow(FlowConfig.defaults(1, 0));
        ParameterSpec input = single.parameters().stream()
                .filter(p -> p.name().equals("coupling0.layer0.weight")).findFirst().orElseThrow();
        assertEquals(64, input.size(), "d = 1, k = 0 conditions on one constant column");
    }
}
