package io.flowcast.serving;

import java.time.Instant;
import java.util.NoSuchElementException;

/**
 * The operations that change which models serve: what the admin API delegates to. The model registry implements it
 * (as a CDI bean); without one the admin API answers 501.
 */
public interface ModelControl {

    /** A retrain run that was accepted. */
    record RetrainTicket(String stream, String runId, Instant requestedAt) {
    }

    /**
     * Makes {@code version} the stream's serving model, on every instance (roll back or forward).
     *
     * @throws NoSuchElementException for an unknown stream or version
     * @throws IllegalStateException  when the version cannot serve now (for instance it failed its gate)
     */
    ModelVersionInfo activate(String stream, int version);

    /**
     * Starts a retrain of the stream's model now.
     *
     * @param reason why, for the run's record
     * @throws NoSuchElementException for an unknown stream
     * @throws IllegalStateException  when a retrain of the stream is already running
     */
    RetrainTicket retrain(String stream, String reason);
}
