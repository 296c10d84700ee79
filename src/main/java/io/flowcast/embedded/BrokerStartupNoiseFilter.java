package io.flowcast.embedded;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.apache.kafka.common.errors.NotControllerException;

/**
 * Drops one known, harmless message of the embedded broker: when a combined KRaft node restarts, its broker half
 * can ask to register before its controller half has finished electing itself, and Kafka logs the refused request
 * as an error with a stack trace before retrying successfully. Everything else passes.
 */
@LoggingFilter(name = "embedded-broker-noise")
public final class BrokerStartupNoiseFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        return !("kafka.server.ControllerApis".equals(record.getLoggerName())
                && causedBy(record.getThrown(), NotControllerException.class)
                && String.valueOf(record.getMessage()).contains("CONTROLLER_REGISTRATION"));
    }

    private static boolean causedBy(Throwable thrown, Class<? extends Throwable> type) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
