package io.flowcast.embedded;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.apache.kafka.common.errors.NotControllerException;
import org.junit.jupiter.api.Test;

class BrokerStartupNoiseFilterTest {

    private final BrokerStartupNoiseFilter filter = new BrokerStartupNoiseFilter();

    @Test
    void dropsOnlyTheRefusedControllerRegistration() {
        LogRecord registration = record("kafka.server.ControllerApis",
                "Unexpected error handling request RequestHeader(apiKey=CONTROLLER_REGISTRATION, apiVersion=0)",
                new CompletionException(new NotControllerException("The active controller appears to be node 1")));
        assertFalse(filter.isLoggable(registration));

        assertTrue(filter.isLoggable(record("kafka.server.ControllerApis",
                "Unexpected error handling request RequestHeader(apiKey=CREATE_TOPICS)",
                new NotControllerException("x"))));
        assertTrue(filter.isLoggable(record("kafka.server.ControllerApis",
                "Unexpected error handling request RequestHeader(apiKey=CONTROLLER_REGISTRATION)",
                new IllegalStateException("disk full"))));
        assertTrue(filter.isLoggable(record("io.flowcast.Anything", "CONTROLLER_REGISTRATION",
                new NotControllerException("x"))));
    }

    private static LogRecord record(String logger, String message, Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, message);
        record.setLoggerName(logger);
        record.setThrown(thrown);
        return record;
    }
}
