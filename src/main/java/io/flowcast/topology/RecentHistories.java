package io.flowcast.topology;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recently used entity histories of one task, as objects, bounded: the least recently used one leaves when
 * a new one would exceed the capacity. Not thread-safe: one stream thread owns a task.
 */
final class RecentHistories {

    private final Map<String, EntityHistory> byKey;

    RecentHistories(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.byKey = new LinkedHashMap<>(Math.min(capacity, 1 << 12) * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, EntityHistory> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The history last put under {@code key}, or null when none is kept. */
    EntityHistory get(String key) {
        return byKey.get(key);
    }

    void put(String key, EntityHistory history) {
        byKey.put(key, history);
    }

    void clear() {
        byKey.clear();
    }

    int size() {
        return byKey.size();
    }
}
