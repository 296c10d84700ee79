package io.flowcast.api;

import io.flowcast.serving.ModelControl;
import io.flowcast.serving.ModelVersionInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A registry stand-in for the admin API tests only (enabled by {@link AdminApiTest}'s profile): the stream test-api
 * has versions 1 and 2, version 3 exists but failed its gate, and one retrain per stream may run at a time. It
 * records what the API asked, so the tests check the delegation, not a registry.
 */
@Alternative
@ApplicationScoped
public class RecordingModelControl implements ModelControl {

    private final List<String> calls = new ArrayList<>();
    private final Set<String> retraining = new HashSet<>();

    /** What the API asked so far (a method: the test holds a client proxy, whose fields are not the bean's). */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public synchronized ModelVersionInfo activate(String stream, int version) {
        calls.add("activate " + stream + " v" + version);
        if (version == 3) {
            throw new IllegalStateException("version 3 of " + stream + " failed its validation gate");
        }
        if (version > 3) {
            throw new NoSuchElementException("stream " + stream + " has no version " + version);
        }
        return new ModelVersionInfo(stream + ".flow", version, true, Instant.parse("2026-11-29T00:00:00Z"),
                Map.of(ModelVersionInfo.VALIDATION_NLL, 1.25));
    }

    @Override
    public synchronized RetrainTicket retrain(String stream, String reason) {
        calls.add("retrain " + stream + ": " + reason);
        if (!retraining.add(stream)) {
            throw new IllegalStateException("a retrain of " + stream + " is already running");
        }
        return new RetrainTicket(stream, "run-" + retraining.size(), Instant.now());
    }
}
