package io.flowcast.embedded.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SocialForceCrowdTest {

    @Test
    void pedestriansWalkAtAboutTheirPreferredSpeedAndKeepTheirDistance() {
        SocialForceCrowd crowd = new SocialForceCrowd(SocialForceCrowd.Parameters.defaults(12), 7);
        double speedSum = 0;
        int speeds = 0;
        int tooClose = 0;
        int pairs = 0;
        for (int step = 0; step < 750; step++) { // five minutes of 0.4 s steps
            List<SocialForceCrowd.AgentState> states = crowd.step(0.4);
            assertEquals(12, states.size());
            for (int i = 0; i < states.size(); i++) {
                SocialForceCrowd.AgentState a = states.get(i);
                assertTrue(a.x() > -2 && a.x() < 22 && a.y() > -2 && a.y() < 16, "left the plaza: " + a);
                if (a.anomaly() == null) {
                    speedSum += a.speed();
                    speeds++;
                }
                for (int j = i + 1; j < states.size(); j++) {
                    SocialForceCrowd.AgentState b = states.get(j);
                    pairs++;
                    if (Math.hypot(a.x() - b.x(), a.y() - b.y()) < 0.3) {
                        tooClose++;
                    }
                }
            }
        }
        double meanSpeed = speedSum / speeds;
        assertTrue(meanSpeed > 1.0 && meanSpeed < 1.5, "mean speed " + meanSpeed);
        assertTrue(tooClose < pairs / 1000, tooClose + " of " + pairs + " pairs closer than 0.3 m");
    }

    @Test
    void agentsReachTheirGoalsAndAreReplaced() {
        SocialForceCrowd crowd = new SocialForceCrowd(SocialForceCrowd.Parameters.defaults(5), 3);
        Set<String> seen = new HashSet<>();
        for (int step = 0; step < 300; step++) {
            crowd.step(0.4).forEach(agent -> seen.add(agent.id()));
        }
        // Two minutes on a 20 x 14 m plaza at ~1.3 m/s: every agent crosses several times over.
        assertTrue(seen.size() > 20, seen.size() + " agents");
    }

    @Test
    void theSameSeedGivesTheSameCrowd() {
        SocialForceCrowd a = new SocialForceCrowd(SocialForceCrowd.Parameters.defaults(8), 11);
        SocialForceCrowd b = new SocialForceCrowd(SocialForceCrowd.Parameters.defaults(8), 11);
        for (int step = 0; step < 50; step++) {
            assertEquals(a.step(0.4), b.step(0.4));
        }
    }
}
