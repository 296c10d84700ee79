package io.flowcast.trajectory;

import java.util.Objects;

/**
 * One pedestrian's uninterrupted run of positions: consecutive time steps (no gaps) from {@code startTime}.
 *
 * @param source    the file (recording) it comes from; pedestrian ids are unique only inside one source
 * @param agentId   the pedestrian id within the source
 * @param startTime time index of the first position (frame / 10 for ETH/UCY)
 * @param xy        positions in metres, interleaved x0, y0, x1, y1, ...
 */
public record Track(String source, int agentId, int startTime, float[] xy) {

    public Track {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(xy, "xy");
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("xy must hold pairs, has " + xy.length + " values");
        }
    }

    public int length() {
        return xy.length / 2;
    }
}
