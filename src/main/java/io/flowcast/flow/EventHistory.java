package io.flowcast.flow;

import java.util.Objects;

/**
 * The recent past of one event stream, kept for building contexts: the newest {@code window} records and the event
 * time of the newest. Leak-free by construction: {@link #context} reads only records already {@link #append}ed, so
 * the caller builds the context of record t, scores t, and only then appends t.
 *
 * <p>Not thread-safe: one history per stream (per entity), owned by whoever processes that stream in order.
 */
public final class EventHistory {

    private final ContextSpec spec;
    private final int d;
    private final float[] rows;
    private int size;
    private long lastEventTime;
    private long appended;

    public EventHistory(ContextSpec spec, int d) {
        this.spec = Objects.requireNonNull(spec, "spec");
        if (d < 1) {
            throw new IllegalArgumentException("d must be at least 1: " + d);
        }
        this.d = d;
        this.rows = new float[spec.window() * d];
    }

    public ContextSpec spec() {
        return spec;
    }

    /** Whether enough records have been seen for a context (at least {@code window}). */
    public boolean ready() {
        return size == spec.window();
    }

    /** How many records have been appended in all. */
    public long appended() {
        return appended;
    }

    /** Event time of the newest appended record (epoch ms); 0 before the first. */
    public long lastEventTime() {
        return lastEventTime;
    }

    /** The context of a record at {@code eventTime} from the records appended so far; null until {@link #ready}. */
    public float[] context(long eventTime) {
        return ready() ? spec.build(rows, size, d, lastEventTime, eventTime) : null;
    }

    /**
     * Adds a record as the newest. A record with a non-finite value is not appended (it would poison every context
     * that holds it for the next {@code window} records); returns whether it was.
     */
    public boolean append(long eventTime, float[] values) {
        if (values == null || values.length != d) {
            throw new IllegalArgumentException("expected " + d + " values");
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        if (size == spec.window()) {
            System.arraycopy(rows, d, rows, 0, (size - 1) * d);
            size--;
        }
        System.arraycopy(values, 0, rows, size * d, d);
        size++;
        lastEventTime = eventTime;
        appended++;
        return true;
    }
}
