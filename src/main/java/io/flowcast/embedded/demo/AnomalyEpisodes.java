package io.flowcast.embedded.demo;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Injects anomaly episodes into one entity's readings: when no episode runs, one of a randomly chosen kind starts
 * with probability {@code rate} at each reading, and lasts its kind's number of readings.
 */
final class AnomalyEpisodes {

    /** A kind of anomaly and how many readings it lasts. */
    record Kind(String name, int length) {
    }

    private final List<Kind> kinds;
    private final double rate;
    private Kind current;
    private int remaining;
    private int elapsed;

    AnomalyEpisodes(List<Kind> kinds, double rate) {
        this.kinds = List.copyOf(kinds);
        this.rate = rate;
    }

    /** Advances one reading; returns the kind of the episode this reading belongs to, or null. */
    Kind advance(SplittableRandom random) {
        if (current != null && remaining > 0) {
            remaining--;
            elapsed++;
            return current;
        }
        current = null;
        if (random.nextDouble() < rate) {
            current = kinds.get(random.nextInt(kinds.size()));
            remaining = current.length() - 1;
            elapsed = 0;
        }
        return current;
    }

    /** Readings since the running episode started (0 at its first reading). */
    int elapsed() {
        return elapsed;
    }
}
