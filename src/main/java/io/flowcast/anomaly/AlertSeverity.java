package io.flowcast.anomaly;

/** How bad an episode is, from its peak grade (1 - tail probability) by the configured grade bands. */
public enum AlertSeverity {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL
}
