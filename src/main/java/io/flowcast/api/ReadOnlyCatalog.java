package io.flowcast.api;

import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.StreamModel;
import io.flowcast.serving.StreamProfile;
import java.util.Optional;
import java.util.Set;

/**
 * The service's catalog as the scoring API sees it: the same models, but records scored over HTTP never feed a
 * stream's first fit (ad-hoc requests must not shape the model that scores the topics).
 */
final class ReadOnlyCatalog implements ModelCatalog {

    private final ModelCatalog catalog;

    ReadOnlyCatalog(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Set<String> streams() {
        return catalog.streams();
    }

    @Override
    public Optional<StreamProfile> profile(String stream) {
        return catalog.profile(stream);
    }

    @Override
    public Optional<StreamModel> current(String stream) {
        return catalog.current(stream);
    }
}
