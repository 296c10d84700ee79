package io.flowcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.ModelRef;
import org.junit.jupiter.api.Test;

class LiveNllTest {

    private final ModelRef model = new ModelRef("m", 1);

    @Test
    void isTheMedianOfTheLastWindowAndShrugsOffAnomalies() {
        LiveNll live = new LiveNll(101);
        assertTrue(live.median(model).isEmpty());
        for (int i = 0; i < 100; i++) {
            live.observe(model, -(1 + i % 3)); // NLL 1, 2, 3, ...
        }
        live.observe(model, -1e9); // one wild anomaly
        assertEquals(2.0, live.median(model).orElseThrow(), 1e-12);
        // A shift: once most of the window is new, the median is the new level.
        for (int i = 0; i < 60; i++) {
            live.observe(model, -5.0);
        }
        assertEquals(5.0, live.median(model).orElseThrow(), 1e-12);
        assertTrue(live.median(new ModelRef("m", 2)).isEmpty(), "versions are tracked apart");
    }

    @Test
    void ignoresNonFiniteLogDensities() {
        LiveNll live = new LiveNll(10);
        live.observe(model, Double.NaN);
        live.observe(model, Double.NEGATIVE_INFINITY);
        assertTrue(live.median(model).isEmpty());
        live.observe(model, -2);
        live.observe(model, -4);
        assertEquals(3.0, live.median(model).orElseThrow(), 1e-12);
    }
}
