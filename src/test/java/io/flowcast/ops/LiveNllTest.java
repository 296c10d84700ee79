package io.flowcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.ModelRef;
import org.junit.jupiter.api.Test;

class LiveNllTest {

    private final ModelRef model = new ModelRef("m", 1);

    @Test
    void isThePlainMeanUntilTheHorizonThenFollowsDrift() {
        LiveNll live = new LiveNll(100);
        assertTrue(live.mean(model).isEmpty());
        for (int i = 0; i < 50; i++) {
            live.observe(model, i % 2 == 0 ? -1.0 : -3.0); // NLL 1 and 3
        }
        assertEquals(2.0, live.mean(model).orElseThrow(), 1e-12);
        // After a shift to NLL 5 the mean moves there within a few horizons.
        for (int i = 0; i < 500; i++) {
            live.observe(model, -5.0);
        }
        assertEquals(5.0, live.mean(model).orElseThrow(), 0.05);
        assertTrue(live.mean(new ModelRef("m", 2)).isEmpty(), "versions are tracked apart");
    }

    @Test
    void ignoresNonFiniteLogDensities() {
        LiveNll live = new LiveNll(10);
        live.observe(model, Double.NaN);
        live.observe(model, Double.NEGATIVE_INFINITY);
        assertTrue(live.mean(model).isEmpty());
        live.observe(model, -2);
        assertEquals(2.0, live.mean(model).orElseThrow(), 1e-12);
    }
}
