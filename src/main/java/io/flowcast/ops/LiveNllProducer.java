package io.flowcast.ops;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One live-NLL tracker per service, fed by the live feed and read by the model metrics. */
public class LiveNllProducer {

    /** The last thousand scores of a model. */
    static final int WINDOW = 1000;

    @Produces
    @Singleton
    LiveNll liveNll() {
        return new LiveNll(WINDOW);
    }
}
