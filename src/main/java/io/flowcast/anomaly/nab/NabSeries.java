package io.flowcast.anomaly.nab;

/**
 * One NAB data file: its key as the labels name it ({@code <category>/<file>.csv}) and its records in file order.
 */
public record NabSeries(String name, long[] timestampsMillis, double[] values) {

    public NabSeries {
        if (timestampsMillis.length != values.length) {
            throw new IllegalArgumentException(name + ": " + timestampsMillis.length + " timestamps but " + values.length + " values");
        }
    }

    public int size() {
        return values.length;
    }

    /** The folder part of the key ({@code realKnownCause}), or "" for a file at the top of the data folder. */
    public String category() {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }
}
