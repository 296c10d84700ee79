package io.flowcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AlarmEpisodesTest {

    @Test
    void repeatsInsideAnEpisodeAreDroppedAndTheEpisodeEnds() {
        AlarmEpisodes episodes = new AlarmEpisodes(new AlarmEpisodes.Settings(0.01, 3, 1.0));
        assertEquals(0.5, episodes.filter(0.5));
        assertEquals(1e-4, episodes.filter(1e-4), "an alarm opens an episode and is kept");
        assertTrue(episodes.inEpisode());
        assertEquals(1.0, episodes.filter(1e-3), "weaker repeat dropped");
        assertEquals(1.0, episodes.filter(1e-4), "equal repeat dropped");
        assertEquals(1.0, episodes.filter(0.2), "ordinary record inside the episode reports nothing");
        assertFalse(episodes.inEpisode(), "three records later the episode is over");
        assertEquals(1e-3, episodes.filter(1e-3), "a new alarm after the episode is kept");
    }

    @Test
    void aMoreExtremeRecordIsKeptAndExtendsTheEpisode() {
        AlarmEpisodes episodes = new AlarmEpisodes(new AlarmEpisodes.Settings(0.01, 2, 0.5));
        assertEquals(1e-3, episodes.filter(1e-3));
        assertEquals(1.0, episodes.filter(6e-4), "not below half the episode's lowest");
        assertEquals(4e-4, episodes.filter(4e-4), "escalation is kept");
        assertEquals(1.0, episodes.filter(0.3));
        assertEquals(1.0, episodes.filter(0.3), "the escalation restarted the two-record episode");
        assertFalse(episodes.inEpisode());
    }

    /**
     * For any alarm threshold t at most openTail, a record at or below t that follows a stretch of refractory records
     * above t always comes through the filter: suppression never hides the first alarm at any threshold.
     */
    @Test
    void theFirstCrossingOfAnyThresholdSurvives() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 20_000;
        double[] tails = new double[n];
        for (int i = 0; i < n; i++) {
            tails[i] = Math.pow(random.nextDouble(), 3);
        }
        int refractory = 20;
        AlarmEpisodes episodes = new AlarmEpisodes(new AlarmEpisodes.Settings(0.01, refractory, 1.0));
        double[] filtered = new double[n];
        for (int i = 0; i < n; i++) {
            filtered[i] = episodes.filter(tails[i]);
        }
        for (double t : new double[] {1e-3, 1e-4, 1e-5, 0.01}) {
            int lastAlarm = Integer.MIN_VALUE / 2;
            for (int i = 0; i < n; i++) {
                if (tails[i] <= t) {
                    if (i - lastAlarm > refractory) {
                        // No record at or below t in the last refractory records, so any open episode's lowest
                        // tail is above t (an episode only stays open through a new lowest): the record is new.
                        assertEquals(tails[i], filtered[i], "record " + i + " at threshold " + t + " dropped");
                    }
                    lastAlarm = i;
                }
                assertTrue(filtered[i] == tails[i] || filtered[i] == 1.0, "a record keeps its tail or reports 1");
            }
        }
    }

    @Test
    void noneKeepsEveryTailAndNaNReportsNothing() {
        AlarmEpisodes episodes = new AlarmEpisodes(AlarmEpisodes.Settings.none());
        for (double t : new double[] {1e-9, 1e-9, 0.3, 1e-12}) {
            assertEquals(t, episodes.filter(t));
        }
        assertEquals(1.0, episodes.filter(Double.NaN));
    }

    @Test
    void surpriseKeepsOrderingTailsBelowDoublePrecision() {
        assertEquals(0.0, AlarmEpisodes.surprise(1.0, 10));
        assertEquals(0.5, AlarmEpisodes.surprise(1e-5, 10), 1e-12);
        assertTrue(AlarmEpisodes.surprise(1e-30, 100) > AlarmEpisodes.surprise(1e-20, 100));
        assertEquals(1.0 - 1e-20, 1.0, "which 1 - tail cannot tell apart");
        assertEquals(1.0, AlarmEpisodes.surprise(0.0, 10));
        assertEquals(1.0, AlarmEpisodes.surprise(1e-12, 10));
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new AlarmEpisodes.Settings(0, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> new AlarmEpisodes.Settings(0.01, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new AlarmEpisodes.Settings(0.01, 5, 1.5));
    }
}
