package io.flowcast.serving;

/**
 * Trains a stream's first flow from its first records when the registry has none, and publishes and activates it
 * (the catalog then loads it like any other version). Called on a background thread; it may take seconds.
 */
@FunctionalInterface
public interface FirstModelTrainer {

    /**
     * @param x       the stream's first {@code rows} feature vectors, in arrival order, row-major
     * @param context their contexts, built with the profile's context spec, row-major
     */
    void train(StreamProfile profile, float[] x, float[] context, int rows);
}
