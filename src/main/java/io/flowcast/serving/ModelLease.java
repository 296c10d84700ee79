package io.flowcast.serving;

/**
 * A stream's model held for the span of one record (or one batch): the catalog does not close the model's
 * resources while a lease on it is open, even when a newer version has replaced it meanwhile. Close it when done.
 */
public interface ModelLease extends AutoCloseable {

    StreamModel model();

    @Override
    void close();

    /** A lease on a model whose resources need no release (a JVM-only model, or a catalog without hot swap). */
    static ModelLease unmanaged(StreamModel model) {
        return new ModelLease() {
            @Override
            public StreamModel model() {
                return model;
            }

            @Override
            public void close() {
            }
        };
    }
}
