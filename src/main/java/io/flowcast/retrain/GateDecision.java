package io.flowcast.retrain;

/** Whether a candidate replaces the live model, and why. */
public record GateDecision(boolean promote, String reason) {

    static GateDecision promote(String reason) {
        return new GateDecision(true, reason);
    }

    static GateDecision reject(String reason) {
        return new GateDecision(false, reason);
    }
}
