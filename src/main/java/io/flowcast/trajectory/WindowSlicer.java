package io.flowcast.trajectory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Cuts tracks into windows of {@code observed + future} consecutive steps, moving {@code stride} steps each time. */
public final class WindowSlicer {

    /** The standard ETH/UCY task: observe 8 steps (3.2 s), forecast 12 (4.8 s). */
    public static final int OBSERVED = 8;
    public static final int FUTURE = 12;

    private final int observed;
    private final int future;
    private final int stride;

    public WindowSlicer(int observed, int future, int stride) {
        if (observed < 2 || future < 1 || stride < 1) {
            throw new IllegalArgumentException("need observed >= 2, future >= 1, stride >= 1");
        }
        this.observed = observed;
        this.future = future;
        this.stride = stride;
    }

    public static WindowSlicer standard() {
        return new WindowSlicer(OBSERVED, FUTURE, 1);
    }

    public List<TrajectoryWindow> slice(List<Track> tracks) {
        List<TrajectoryWindow> windows = new ArrayList<>();
        int span = observed + future;
        for (Track track : tracks) {
            float[] xy = track.xy();
            for (int first = 0; first + span <= track.length(); first += stride) {
                int now = first + observed - 1;
                windows.add(new TrajectoryWindow(track.source(), track.agentId(), track.startTime() + now,
                        Arrays.copyOfRange(xy, 2 * first, 2 * (now + 1)),
                        Arrays.copyOfRange(xy, 2 * (now + 1), 2 * (first + span))));
            }
        }
        return windows;
    }
}
