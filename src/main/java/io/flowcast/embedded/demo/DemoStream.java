package io.flowcast.embedded.demo;

import java.util.List;
import java.util.Map;

/** A simulated event stream: a few entities, each producing one multivariate reading at a time. */
public interface DemoStream {

    /** One reading; {@code anomaly} names the injected anomaly it belongs to, or is null. */
    record Reading(Map<String, Double> features, String anomaly) {
    }

    String name();

    List<String> features();

    List<String> entityIds();

    /** The next reading of entity {@code index} (into {@link #entityIds()}) at {@code eventTime} (epoch ms). */
    Reading next(int index, long eventTime);
}
