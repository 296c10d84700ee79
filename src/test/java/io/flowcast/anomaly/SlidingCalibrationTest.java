package io.flowcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SlidingCalibrationTest {

    @Test
    void matchesAFreshCalibrationOfTheLastScores() {
        SlidingCalibration sliding = new SlidingCalibration(50);
        Deque<Double> last = new ArrayDeque<>();
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 500; i++) {
            double s = Math.floor(random.nextGaussian() * 4) / 4; // ties on purpose
            sliding.add(s);
            last.addLast(s);
            if (last.size() > 50) {
                last.removeFirst();
            }
            HeldOutCalibration fresh = HeldOutCalibration.of(last.stream().mapToDouble(Double::doubleValue).toArray());
            double probe = random.nextGaussian();
            assertEquals(fresh.tailProbability(probe), sliding.tailProbability(probe), 1e-15);
            assertEquals(fresh.tailProbability(s), sliding.tailProbability(s), 1e-15);
        }
        assertEquals(50, sliding.size());
        assertEquals(50, sliding.snapshot().size());
    }

    @Test
    void ignoresNonFiniteAndStartsEmpty() {
        SlidingCalibration sliding = new SlidingCalibration(3);
        assertEquals(1.0, sliding.tailProbability(10));
        sliding.add(Double.NaN);
        sliding.add(Double.POSITIVE_INFINITY);
        assertEquals(0, sliding.size());
        sliding.add(1);
        sliding.add(2);
        assertEquals(1 / 3.0, sliding.tailProbability(5), 1e-15);
        sliding.clear();
        assertEquals(0, sliding.size());
    }

    @Test
    void extendedTailIsConformalInsideAndDecaysBeyondTheMaximum() {
        SlidingCalibration sliding = new SlidingCalibration(1000);
        SplittableRandom random = new SplittableRandom(9);
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 1000; i++) {
            double s = -Math.log(random.nextDouble()); // exponential(1)
            sliding.add(s);
            max = Math.max(max, s);
        }
        assertEquals(sliding.tailProbability(1.0), sliding.extendedTail(1.0, 0.1));
        assertEquals(sliding.tailProbability(max), sliding.extendedTail(max, 0.1), 1e-15);
        double beyond1 = sliding.extendedTail(max + 1, 0.1);
        double beyond3 = sliding.extendedTail(max + 3, 0.1);
        assertTrue(beyond1 < 1 / 1001.0 && beyond3 < beyond1, beyond1 + " " + beyond3);
        // Exponential(1) scores: the fitted scale is about 1, so one unit beyond the max costs a factor of about e.
        assertEquals(Math.exp(-1), beyond1 * 1001, 0.12);
    }
}
