package io.flowcast.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.ContextSpec;
import io.flowcast.ops.LiveNll;
import io.flowcast.serving.StreamModel;
import io.flowcast.serving.StreamProfile;
import io.flowcast.serving.WarmupModelCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The drift monitor over a real catalog: a stream's model is fitted on its first records, its live scores go into
 * {@link LiveNll} as the live feed would put them, and the monitor asks for a retrain of that stream only once the
 * data have moved, and not again within the cooldown.
 */
class DriftMonitorTest {

    private static final StreamProfile PROFILE = new StreamProfile("drift", List.of("a", "b"),
            new ContextSpec(1, false), 0.01);

    private final SplittableRandom random = new SplittableRandom(4);

    private float[] record(double shift) {
        double a = random.nextGaussian();
        return new float[] {(float) (a + shift), (float) (0.5 * a + random.nextGaussian() + shift)};
    }

    private float[] context() {
        return new float[] {(float) random.nextGaussian(), (float) random.nextGaussian()};
    }

    private void score(StreamModel model, LiveNll live, double shift, int n) {
        for (int i = 0; i < n; i++) {
            float[] logProb = model.density().logProb(record(shift), context(), 1);
            live.observe(model.ref(), logProb[0]);
        }
    }

    @Test
    void retrainsADriftedStreamOncePerCooldown() {
        WarmupModelCatalog catalog = new WarmupModelCatalog(List.of(PROFILE), 2000, 1000, 1e-6);
        for (int i = 0; i < 3000; i++) {
            catalog.learn("drift", record(0), context());
        }
        StreamModel model = catalog.current("drift").orElseThrow();
        LiveNll live = new LiveNll(1000);
        List<String> started = new ArrayList<>();
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        DriftMonitor monitor = new DriftMonitor(catalog, live, (profile, reason) -> started.add(profile.name()),
                new DriftTrigger(new DriftTrigger.Settings(1.0, Duration.ofMinutes(15), 500)), true, clock);

        score(model, live, 0, 1000);
        assertEquals(0, monitor.checkAll(), monitor.check("drift", model).reason());
        score(model, live, 2.5, 1000);
        DriftTrigger.Check drifted = monitor.check("drift", model);
        assertTrue(drifted.fire(), drifted.reason());
        assertEquals(1, monitor.checkAll());
        now[0] = now[0].plus(Duration.ofMinutes(5));
        assertEquals(0, monitor.checkAll(), "within the cooldown");
        now[0] = now[0].plus(Duration.ofMinutes(11));
        assertEquals(1, monitor.checkAll(), "after the cooldown, still drifted");
        assertEquals(List.of("drift", "drift"), started);
    }
}
