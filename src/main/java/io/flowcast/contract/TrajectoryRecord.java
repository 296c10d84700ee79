package io.flowcast.contract;

import java.util.Map;

/**
 * A {@code flowcast.trajectories} record that its contract accepts, read without building a JSON tree. Only what
 * the topology uses is kept; the optional fields it ignores ({@code z}, {@code heading}, {@code speed},
 * {@code scene}) are still checked.
 *
 * @param stream     the named stream; {@code null} when the record names none
 * @param attributes free attributes as text (numbers and booleans as Jackson prints them), nulls left out
 */
public record TrajectoryRecord(String entityId, long eventTime, double x, double y, String stream,
        Map<String, String> attributes) {
}
