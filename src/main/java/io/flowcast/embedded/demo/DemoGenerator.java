package io.flowcast.embedded.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what the demo produces as wall-clock time passes: event readings at a fixed total rate, round-robin over
 * every entity of every event stream; one position per pedestrian every {@link #STEP_MILLIS} (the 0.4 s of the
 * ETH/UCY datasets); and now and then a malformed record. No Kafka here: {@link DemoFeed} sends what this returns.
 */
final class DemoGenerator {

    static final long STEP_MILLIS = 400;
    /** After a stall (a paused laptop), skip ahead rather than flood the topics with the backlog. */
    private static final long MAX_CATCH_UP_MILLIS = 2_000;

    /** What the demo simulates and how fast. */
    record Plan(long seed, double eventsPerSecond, int sensors, int services, int pedestrians, Duration season,
            double anomalyRate, int malformedEvery, String trajectoryStream) {
    }

    private final Plan plan;
    private final List<DemoStream> streams;
    private final List<int[]> roundRobin = new ArrayList<>();
    private final SocialForceCrowd crowd;
    private int cursor;
    private double eventBudget;
    private long lastTick;
    private long lastCrowdStep;
    private long eventsSent;
    private int malformedSent;

    DemoGenerator(Plan plan, long startMillis) {
        this.plan = plan;
        this.streams = List.of(
                new SeasonalSensorStream(plan.seed(), plan.sensors(), plan.season(), plan.anomalyRate()),
                new RequestLatencyStream(plan.seed() + 1, plan.services(), plan.season(), plan.anomalyRate()));
        for (int s = 0; s < streams.size(); s++) {
            for (int e = 0; e < streams.get(s).entityIds().size(); e++) {
                roundRobin.add(new int[] {s, e});
            }
        }
        this.crowd = plan.pedestrians() > 0
                ? new SocialForceCrowd(SocialForceCrowd.Parameters.defaults(plan.pedestrians()), plan.seed() + 2)
                : null;
        this.lastTick = startMillis;
        this.lastCrowdStep = startMillis;
    }

    List<DemoStream> streams() {
        return streams;
    }

    /** The records due between the previous tick and {@code now}. */
    List<DemoRecords.DemoRecord> tick(long now) {
        List<DemoRecords.DemoRecord> due = new ArrayList<>();
        long elapsed = Math.min(Math.max(0, now - lastTick), MAX_CATCH_UP_MILLIS);
        lastTick = now;
        if (!roundRobin.isEmpty()) {
            eventBudget += plan.eventsPerSecond() * elapsed / 1000.0;
            while (eventBudget >= 1) {
                eventBudget -= 1;
                int[] next = roundRobin.get(cursor);
                cursor = (cursor + 1) % roundRobin.size();
                DemoStream stream = streams.get(next[0]);
                due.add(DemoRecords.event(stream.name(), stream.entityIds().get(next[1]), now,
                        stream.next(next[1], now)));
                eventsSent++;
                if (plan.malformedEvery() > 0 && eventsSent % plan.malformedEvery() == 0) {
                    due.add(DemoRecords.malformed(malformedSent++, now));
                }
            }
        }
        if (crowd != null) {
            if (now - lastCrowdStep > MAX_CATCH_UP_MILLIS) {
                lastCrowdStep = now - STEP_MILLIS;
            }
            while (now - lastCrowdStep >= STEP_MILLIS) {
                lastCrowdStep += STEP_MILLIS;
                for (SocialForceCrowd.AgentState agent : crowd.step(STEP_MILLIS / 1000.0)) {
                    due.add(DemoRecords.trajectory(plan.trajectoryStream(), agent, lastCrowdStep));
                }
            }
        }
        return due;
    }
}
