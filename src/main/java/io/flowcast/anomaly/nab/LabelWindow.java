package io.flowcast.anomaly.nab;

/** One labelled anomaly window, both ends inclusive, as UTC epoch milliseconds. */
public record LabelWindow(long startMillis, long endMillis) {

    public LabelWindow {
        if (endMillis < startMillis) {
            throw new IllegalArgumentException("window ends before it starts: " + startMillis + " > " + endMillis);
        }
    }
}
