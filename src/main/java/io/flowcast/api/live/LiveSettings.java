package io.flowcast.api.live;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The dashboard's live feed ({@code flowcast.live.*}). */
@ConfigMapping(prefix = "flowcast.live")
public interface LiveSettings {

    /** Whether the service reads its topics for the dashboard (and the live NLL drift gauge). */
    @WithDefault("true")
    boolean enabled();

    /** Records per partition read back at start, so a page opened now shows the recent past. */
    @WithDefault("300")
    int backlog();

    /** Positions kept per agent (the drawn path). */
    @WithDefault("40")
    int pathLength();

    /** Scores kept per entity (the timeline). */
    @WithDefault("150")
    int scoresPerEntity();
}
