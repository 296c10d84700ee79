package io.flowcast.anomaly;

/** The transition an alert record announces: the episode opened, or it ended. */
public enum AlertState {
    OPEN,
    CLOSED
}
