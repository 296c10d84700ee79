package io.flowcast.topology;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jboss.logging.Logger;

/**
 * Keeps the streams application alive: an error that kills a stream thread (not a record: those are handled)
 * replaces the thread rather than shutting the client down, and the handlers' producers close with the service.
 */
@ApplicationScoped
public class StreamsSafetyNet {

    private static final Logger LOG = Logger.getLogger(StreamsSafetyNet.class);

    @Produces
    StreamsUncaughtExceptionHandler replaceDeadThreads() {
        return exception -> {
            LOG.errorf(exception, "A stream thread died; starting a replacement");
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        };
    }

    void onStop(@Observes ShutdownEvent event) {
        OutOfBandDeadLetters.closeAll();
    }
}
