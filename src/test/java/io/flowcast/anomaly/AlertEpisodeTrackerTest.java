package io.flowcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertEpisodeTrackerTest {

    private static final double ALPHA = 0.01;
    private static final ModelRef MODEL = new ModelRef("m", 4);
    /** Hold while tail <= 0.04, close after 3 records above; MEDIUM from 0.99, HIGH 0.995, CRITICAL 0.999. */
    private final AlertEpisodeTracker tracker = new AlertEpisodeTracker(new AlertPolicy(4, 3, 0.99, 0.995, 0.999));

    private static AnomalyDescriptor scored(long t, double tail) {
        return new AnomalyDescriptor("e1", t, "s", new SourceRef("flowcast.events", 0, t), MODEL, -1.0, tail,
                1 - tail, ALPHA, tail <= ALPHA, false, List.of(), Map.of(), Map.of("site", "a"), 0L);
    }

    private static AnomalyDescriptor warmingUp(long t) {
        return AnomalyDescriptor.warmingUp("e1", t, "s", new SourceRef("flowcast.events", 0, t), null, null, 0);
    }

    private List<Alert> run(List<AnomalyDescriptor> records) {
        AlertEpisode episode = null;
        List<Alert> alerts = new ArrayList<>();
        for (AnomalyDescriptor record : records) {
            AlertEpisodeTracker.Step step = tracker.observe(episode, record);
            episode = step.episode();
            if (step.alert() != null) {
                alerts.add(step.alert());
            }
        }
        return alerts;
    }

    @Test
    void anEpisodeOpensAtTheThresholdHoldsAboveTheLowerGradeAndClosesAfterMNormalRecords() {
        List<Alert> alerts = run(List.of(
                scored(0, 0.5),      // normal: nothing
                scored(1, 0.008),    // opens (grade 0.992: MEDIUM)
                scored(2, 0.03),     // not anomalous, but holds
                scored(3, 0.002),    // the peak (grade 0.998: HIGH)
                scored(4, 0.2),      // normal 1
                warmingUp(5),        // no score: neither holds nor counts
                scored(6, 0.03),     // holds again: the normal run restarts
                scored(7, 0.5),      // normal 1
                scored(8, 0.5),      // normal 2
                scored(9, 0.5),      // normal 3: closes
                scored(10, 0.5)));   // normal: nothing
        SourceRef peak = new SourceRef("flowcast.events", 0, 3);
        assertEquals(List.of(
                new Alert("s/e1/1", "e1", "s", AlertState.OPEN, 1, 1, 1 - 0.008, null, AlertSeverity.MEDIUM, ALPHA,
                        MODEL, 1, new SourceRef("flowcast.events", 0, 1), Map.of("site", "a")),
                new Alert("s/e1/1", "e1", "s", AlertState.CLOSED, 1, 3, 1 - 0.002, 9L, AlertSeverity.HIGH, ALPHA,
                        MODEL, 8, peak, Map.of("site", "a"))), alerts);
    }

    @Test
    void scoresHoveringAroundTheThresholdMakeOneEpisodeNotMany() {
        List<AnomalyDescriptor> records = new ArrayList<>();
        for (int t = 0; t < 40; t++) {
            records.add(scored(t, t % 2 == 0 ? 0.009 : 0.011)); // crossing alpha at every record
        }
        List<Alert> alerts = run(records);
        assertEquals(1, alerts.size());
        assertEquals(AlertState.OPEN, alerts.get(0).state());
    }

    @Test
    void aWarmingUpEntityRaisesNoAlertAndAnEpisodeCanReopenAfterClosing() {
        assertNull(tracker.observe(null, warmingUp(0)).alert());
        assertNull(tracker.observe(null, warmingUp(0)).episode());
        List<Alert> alerts = run(List.of(scored(1, 0.001), scored(2, 0.5), scored(3, 0.5), scored(4, 0.5),
                scored(5, 0.0001)));
        assertEquals(List.of(AlertState.OPEN, AlertState.CLOSED, AlertState.OPEN),
                alerts.stream().map(Alert::state).toList());
        assertEquals("s/e1/5", alerts.get(2).alertId());
        assertEquals(AlertSeverity.CRITICAL, alerts.get(2).severity());
        assertEquals(AlertSeverity.LOW, new AlertPolicy(4, 3, 0.99, 0.995, 0.999).severity(0.98));
    }
}
