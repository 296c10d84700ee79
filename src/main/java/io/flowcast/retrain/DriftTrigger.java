package io.flowcast.retrain;

import io.flowcast.anomaly.ModelRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides when a stream's live data has drifted from its model: the live NLL (over the last scores of the serving
 * version) exceeds the NLL the model had on its held-out records by more than {@code margin} nats, once at least
 * {@code minScores} live scores are in. A stream that fired waits {@code cooldown} before it can fire again (a
 * retraining takes minutes, and the version it makes needs its own scores before it can be judged).
 *
 * <p>Both NLLs are medians (the live one over a window of scores, the held-out one over the calibration records):
 * an anomaly's NLL can be millions of nats, so a few of them would move a mean past any margin without the bulk
 * of the data having moved at all (see {@code io.flowcast.ops.LiveNll}).
 */
public final class DriftTrigger {

    /** @param margin nats by which the live NLL must exceed the held-out one; at most 0 disables the trigger */
    public record Settings(double margin, Duration cooldown, int minScores) {

        public Settings {
            if (cooldown.isNegative() || minScores < 1) {
                throw new IllegalArgumentException("need a non-negative cooldown and minScores >= 1");
            }
        }

        public boolean enabled() {
            return margin > 0 && Double.isFinite(margin);
        }
    }

    /** What one check concluded, with the figures it was drawn from. */
    public record Check(boolean fire, String reason, double drift) {
    }

    private final Settings settings;
    private final Map<String, Instant> lastFired = new ConcurrentHashMap<>();

    public DriftTrigger(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * @param model          the serving version whose scores these are
     * @param liveNll        its live NLL (empty before any score)
     * @param liveScores     how many scores the live NLL is taken over
     * @param validationNll  its NLL on held-out records (NaN when unknown: then nothing fires)
     */
    public Check check(String stream, ModelRef model, Optional<Double> liveNll, int liveScores,
            double validationNll, Instant now) {
        if (!settings.enabled()) {
            return new Check(false, "drift trigger off", Double.NaN);
        }
        if (liveNll.isEmpty() || liveScores < settings.minScores() || !Double.isFinite(validationNll)) {
            return new Check(false, "waiting for " + settings.minScores() + " live scores of " + model.name() + " v"
                    + model.version() + " (have " + liveScores + ")", Double.NaN);
        }
        double drift = liveNll.get() - validationNll;
        if (!(drift > settings.margin())) {
            return new Check(false, String.format("live NLL %.3f is within %.3f nats of the held-out %.3f",
                    liveNll.get(), settings.margin(), validationNll), drift);
        }
        Instant last = lastFired.get(stream);
        if (last != null && now.isBefore(last.plus(settings.cooldown()))) {
            return new Check(false, String.format("drift %.3f nats, but the last drift retrain of %s was at %s "
                    + "(cooldown %s)", drift, stream, last, settings.cooldown()), drift);
        }
        return new Check(true, String.format("drift: live NLL %.3f exceeds the held-out %.3f of %s v%d by %.3f nats"
                + " (margin %.3f, %d live scores)", liveNll.get(), validationNll, model.name(), model.version(), drift,
                settings.margin(), liveScores), drift);
    }

    /** Records that a drift retrain of {@code stream} started (the cooldown runs from here). */
    public void fired(String stream, Instant now) {
        lastFired.put(stream, now);
    }
}
