package io.flowcast.anomaly.nab;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.OptionalLong;

/**
 * NAB timestamps: {@code YYYY-MM-DD HH:MM:SS} in the data files and {@code YYYY-MM-DD HH:MM:SS.ffffff} in the label
 * windows, without a time zone. Both are read as UTC epoch milliseconds so that "2014-02-19 10:50:00" and
 * "2014-02-19 10:50:00.000000" compare equal. Digits below the millisecond are dropped; NAB's data has whole seconds.
 */
public final class NabTimestamps {

    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .toFormatter();

    private NabTimestamps() {
    }

    /** Epoch milliseconds of a NAB timestamp, or empty when the text is not one. */
    public static OptionalLong parseMillis(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        try {
            LocalDateTime time = LocalDateTime.parse(text.strip(), FORMAT);
            return OptionalLong.of(time.toInstant(ZoneOffset.UTC).toEpochMilli());
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }
}
