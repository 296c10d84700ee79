package io.flowcast.retrain;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wall seconds of a retraining's phases, in the order they ran, and a few counts beside them (for the outcome). */
final class PhaseClock {

    private final Map<String, Double> values = new LinkedHashMap<>();
    private long lapStart = System.nanoTime();

    /** Ends the running phase under {@code name}. */
    void lap(String name) {
        long now = System.nanoTime();
        values.put(name + "_seconds", (now - lapStart) / 1e9);
        lapStart = now;
    }

    /** Ends the running phase as two: its first {@code firstSeconds} under {@code first}, the rest under {@code rest}. */
    void split(String first, double firstSeconds, String rest) {
        long now = System.nanoTime();
        double total = (now - lapStart) / 1e9;
        values.put(first + "_seconds", Math.min(total, firstSeconds));
        values.put(rest + "_seconds", Math.max(0, total - firstSeconds));
        lapStart = now;
    }

    void put(String name, double value) {
        values.put(name, value);
    }

    Map<String, Double> values() {
        return new LinkedHashMap<>(values);
    }
}
