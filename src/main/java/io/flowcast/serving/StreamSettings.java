package io.flowcast.serving;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The streams the service scores ({@code flowcast.streams.<name>.*}). A record naming any other stream is
 * dead-lettered as UNKNOWN_STREAM.
 */
@ConfigMapping(prefix = "flowcast.streams")
public interface StreamSettings {

    @WithParentName
    Map<String, Stream> streams();

    interface Stream {
        /** The features the stream's model reads, in the order of x's columns. */
        List<String> features();

        /** Overrides {@code flowcast.scoring.window}. */
        OptionalInt window();

        /** Overrides {@code flowcast.scoring.time-features}. */
        Optional<Boolean> timeFeatures();

        /** Overrides {@code flowcast.scoring.threshold}. */
        OptionalDouble threshold();
    }
}
