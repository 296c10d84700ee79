package io.flowcast.anomaly;

/**
 * Turns one stream's calibrated tail probabilities into alarm scores that fire once per anomaly episode.
 *
 * <p>A real anomaly rarely affects one record only: after a spike or a level shift, the following records (whose
 * context now holds the anomalous values) are surprising too, and a per-record score keeps firing. Every one of those
 * repeats costs an operator's attention (and NAB a false positive) without saying anything new. So a record whose
 * tail is at most {@code openTail} opens an episode of {@code refractory} records; inside it a record keeps its tail
 * only when it is more extreme (by a factor {@code escalation}) than the most extreme record of the episode so far,
 * and otherwise reports tail 1 (nothing new). An escalation extends the episode. Records outside episodes keep their
 * tail.
 *
 * <p>The filter never hides the first alarm at any threshold t at most {@code openTail}: a record at or below t
 * that follows {@code refractory} records above t is always kept (an episode stays open only through new extremes,
 * so the open episode's most extreme tail is above t). Only records no more extreme than one already reported are
 * dropped. That holds for {@code escalation} 1; below 1 (report again only when {@code 1 / escalation} times more
 * extreme), a record at or below t is also dropped when an episode opened by a tail above t but below t /
 * escalation is still running: the price of one alarm per episode on a stream that drifts to a new extreme record
 * by record. It is causal: a record's output depends on it and earlier records only.
 *
 * <p>{@link #surprise} maps a tail to a score in [0, 1] that keeps ordering tails far below double precision's
 * 1 - tail (a grade of 1 - 1e-20 is exactly 1.0): -log10(tail) / {@code decades}, clipped.
 *
 * <p>Not thread-safe: one per stream.
 */
public final class AlarmEpisodes {

    /**
     * @param openTail   a record with a tail at most this opens an episode
     * @param refractory records an episode lasts after its latest extreme
     * @param escalation inside an episode a record is new only if its tail is below the episode's lowest tail times
     *                   this (in (0, 1]; 1: any new minimum)
     */
    public record Settings(double openTail, int refractory, double escalation) {

        public Settings {
            if (!(openTail > 0 && openTail < 1) || refractory < 0 || !(escalation > 0 && escalation <= 1)) {
                throw new IllegalArgumentException("bad alarm episode settings: " + this);
            }
        }

        /** No suppression at all: every record keeps its tail. */
        public static Settings none() {
            return new Settings(0.5, 0, 1.0);
        }
    }

    private final Settings settings;
    private int remaining;
    private double episodeLowest = 1.0;

    public AlarmEpisodes(Settings settings) {
        this.settings = settings;
    }

    /** The record's tail after suppression of repeats: the input tail, or 1 for a repeat inside an episode. */
    public double filter(double tail) {
        if (Double.isNaN(tail)) {
            return 1.0;
        }
        if (remaining > 0) {
            remaining--;
            if (tail < episodeLowest * settings.escalation()) {
                episodeLowest = tail;
                remaining = settings.refractory();
                return tail;
            }
            return 1.0;
        }
        if (tail <= settings.openTail() && settings.refractory() > 0) {
            episodeLowest = tail;
            remaining = settings.refractory();
        }
        return tail;
    }

    /** Whether the stream is inside an alarm episode (the next record may be suppressed). */
    public boolean inEpisode() {
        return remaining > 0;
    }

    /** -log10(tail) / decades in [0, 1]: 0 for tail 1, 1 for tails of 10^-decades and below. */
    public static double surprise(double tail, double decades) {
        if (!(tail < 1)) {
            return 0.0;
        }
        if (!(tail > 0)) {
            return 1.0;
        }
        return Math.min(1.0, -Math.log10(tail) / decades);
    }
}
