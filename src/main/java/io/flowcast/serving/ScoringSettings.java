package io.flowcast.serving;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How records are scored ({@code flowcast.scoring.*}); per-stream values in {@link StreamSettings} override. */
@ConfigMapping(prefix = "flowcast.scoring")
public interface ScoringSettings {

    /** Previous values in a record's context. */
    @WithDefault("8")
    int window();

    /** Whether contexts carry hour-of-day and day-of-week (cyclic) and the time since the previous record. */
    @WithDefault("true")
    boolean timeFeatures();

    /**
     * Days a model's training records must cover for its context to keep the hour-of-day columns (fewer: the fitter
     * drops them; see io.flowcast.flow.ClockCoverage).
     */
    @WithDefault("1")
    double hourOfDayMinDays();

    /** Days a model's training records must cover for its context to keep the day-of-week columns. */
    @WithDefault("7")
    double dayOfWeekMinDays();

    /** The clock-column guard these thresholds make. */
    default io.flowcast.flow.ClockCoverage clockCoverage() {
        return new io.flowcast.flow.ClockCoverage(hourOfDayMinDays(), dayOfWeekMinDays());
    }

    /** Default alpha: a record is anomalous when its calibrated tail probability is at most this. */
    @WithDefault("0.005")
    double threshold();

    /** Samples drawn per scored record to estimate the expected values. */
    @WithDefault("32")
    int expectedSamples();

    /** An entity silent for longer than this starts afresh (its history no longer predicts it). */
    @WithDefault("PT1H")
    Duration maxGap();

    /** Input records larger than this are dead-lettered unread. */
    @WithDefault("1048576")
    int maxRecordBytes();

    /** The stream of trajectory records that name none. */
    @WithDefault("pedestrians")
    String trajectoryStream();

    /** The most records scored in one micro-batch (one model call per model in the batch). */
    @WithDefault("256")
    int batchSize();

    /** The longest a record waits for its micro-batch to fill before it is scored anyway. */
    @WithDefault("PT0.005S")
    Duration batchMaxWait();

    /**
     * A micro-batch that takes longer than this to score halves the batch size; keep it far below
     * {@code max.poll.interval.ms} so batching never delays the stream thread's next poll past it.
     */
    @WithDefault("PT1S")
    Duration batchTimeBudget();

    /** Features whose magnitude exceeds this are dead-lettered as OUT_OF_RANGE (unit mistakes, sentinels). */
    @WithDefault("1e12")
    double maxAbsValue();
}
