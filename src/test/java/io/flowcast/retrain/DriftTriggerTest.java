package io.flowcast.retrain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.anomaly.ModelRef;
import io.flowcast.flow.GaussianDensity;
import io.flowcast.ops.LiveNll;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The drift trigger on a real fitted density and real live scores: it fires when the live data has moved away from
 * what the model was fitted on, not on fresh data from the same law, not before enough scores are in, and not again
 * within its cooldown (per stream).
 */
class DriftTriggerTest {

    private static final int D = 2;
    private static final ModelRef MODEL = new ModelRef("drift.flow", 3);
    private static final DriftTrigger.Settings SETTINGS = new DriftTrigger.Settings(1.0, Duration.ofMinutes(15), 500);

    /** Records of a correlated 2-d Gaussian, shifted by {@code shift} standard deviations in both coordinates. */
    private static float[] records(int n, double shift, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * D];
        for (int i = 0; i < n; i++) {
            double a = random.nextGaussian();
            x[i * D] = (float) (a + shift);
            x[i * D + 1] = (float) (0.6 * a + 0.8 * random.nextGaussian() + shift);
        }
        return x;
    }

    private final GaussianDensity density = GaussianDensity.fit(records(4000, 0, 1), new float[0], 4000, D, 0, 1e-6);
    /** The held-out NLL the trigger compares with: the median of the calibration scores, as the catalog reports. */
    private final double validationNll = RegistryCalibration.median(density, records(2000, 0, 2));

    private LiveNll live(double shift, int n, long seed) {
        LiveNll live = new LiveNll(1000);
        float[] x = records(n, shift, seed);
        float[] logProbs = density.logProb(x, new float[0], n);
        for (float logProb : logProbs) {
            live.observe(MODEL, logProb);
        }
        return live;
    }

    private DriftTrigger.Check check(DriftTrigger trigger, String stream, LiveNll live, Instant now) {
        return trigger.check(stream, MODEL, live.median(MODEL), live.count(MODEL), validationNll, now);
    }

    @Test
    void firesOnDriftedDataOnly() {
        DriftTrigger trigger = new DriftTrigger(SETTINGS);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        DriftTrigger.Check same = check(trigger, "s", live(0, 1000, 3), now);
        assertFalse(same.fire(), same.reason());
        assertTrue(Math.abs(same.drift()) < 0.3, "in-distribution drift " + same.drift());
        DriftTrigger.Check moved = check(trigger, "s", live(2.0, 1000, 4), now);
        assertTrue(moved.fire(), moved.reason());
        assertTrue(moved.drift() > 1.0, "drift " + moved.drift());
    }

    @Test
    void waitsForEnoughLiveScores() {
        DriftTrigger trigger = new DriftTrigger(SETTINGS);
        DriftTrigger.Check early = check(trigger, "s", live(2.0, 499, 5), Instant.EPOCH);
        assertFalse(early.fire(), early.reason());
        assertFalse(trigger.check("s", MODEL, Optional.empty(), 0, validationNll, Instant.EPOCH).fire());
        assertFalse(trigger.check("s", MODEL, Optional.of(100.0), 1000, Double.NaN, Instant.EPOCH).fire(),
                "no held-out NLL known: nothing to compare with");
    }

    @Test
    void respectsTheCooldownPerStream() {
        DriftTrigger trigger = new DriftTrigger(SETTINGS);
        LiveNll drifted = live(2.0, 1000, 6);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        assertTrue(check(trigger, "a", drifted, start).fire());
        trigger.fired("a", start);
        DriftTrigger.Check again = check(trigger, "a", drifted, start.plus(Duration.ofMinutes(14)));
        assertFalse(again.fire(), again.reason());
        assertTrue(check(trigger, "b", drifted, start.plus(Duration.ofMinutes(1))).fire(), "another stream fires");
        assertTrue(check(trigger, "a", drifted, start.plus(Duration.ofMinutes(15))).fire(), "after the cooldown");
    }

    @Test
    void aMarginOfZeroTurnsItOff() {
        DriftTrigger off = new DriftTrigger(new DriftTrigger.Settings(0, Duration.ZERO, 1));
        assertFalse(off.settings().enabled());
        assertFalse(check(off, "s", live(5.0, 1000, 7), Instant.EPOCH).fire());
    }

    /** The median held-out score, computed as {@link HeldOutCalibration} and the catalog do. */
    private static final class RegistryCalibration {
        static double median(GaussianDensity density, float[] x) {
            int n = x.length / D;
            float[] logProbs = density.logProb(x, new float[0], n);
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                scores[i] = -logProbs[i];
            }
            return HeldOutCalibration.of(scores).quantile(0.5);
        }
    }
}
