package io.flowcast.serving;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * A served model version and the native resources behind it, reference-counted: replaced versions are retired, and
 * closed once no lease holds them and a grace period has passed (callers that read {@link ModelCatalog#current}
 * without a lease finish their record well within it).
 */
final class ServedModel {

    private static final Logger LOG = Logger.getLogger(ServedModel.class);

    private final StreamModel model;
    private final AutoCloseable resources;
    private final AtomicInteger leases = new AtomicInteger();
    private volatile boolean retired;
    private volatile boolean graceOver;
    private boolean closed;

    ServedModel(StreamModel model, AutoCloseable resources) {
        this.model = model;
        this.resources = resources;
    }

    StreamModel model() {
        return model;
    }

    /** A lease, or null when the model is already closed (the caller reads the current model again). */
    ModelLease lease() {
        leases.incrementAndGet();
        synchronized (this) {
            if (closed) {
                leases.decrementAndGet();
                return null;
            }
        }
        return new ModelLease() {
            private boolean released;

            @Override
            public StreamModel model() {
                return model;
            }

            @Override
            public synchronized void close() {
                if (!released) {
                    released = true;
                    if (leases.decrementAndGet() == 0 && retired && graceOver) {
                        closeResources();
                    }
                }
            }
        };
    }

    /** Retires the model: it closes after {@code grace}, or when its last lease closes after that. */
    void retire(ScheduledExecutorService scheduler, Duration grace) {
        retired = true;
        scheduler.schedule(() -> {
            graceOver = true;
            if (leases.get() == 0) {
                closeResources();
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes at once (service shutdown: no record is in flight any more). */
    void closeNow() {
        leases.set(0);
        closeResources();
    }

    int openLeases() {
        return leases.get();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private void closeResources() {
        synchronized (this) {
            if (closed || leases.get() > 0) {
                return;
            }
            closed = true;
        }
        try {
            resources.close();
            LOG.debugf("Closed %s v%d", model.name(), model.version());
        } catch (Exception e) {
            LOG.warnf("Closing %s v%d failed: %s", model.name(), model.version(), e.getMessage());
        }
    }
}
