package io.flowcast.retrain;

import io.flowcast.registry.ModelRegistry;
import io.flowcast.registry.ModelVersion;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.ModelControl;
import io.flowcast.serving.ModelVersionInfo;
import io.flowcast.serving.StreamProfile;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * The operators' handle on the registry (the HTTP admin API): activating a version writes one activation record,
 * which every instance follows (a rollback is the same call with an older version); a retrain starts the
 * retrainer on the stream now. Present only with the registry enabled.
 */
@ApplicationScoped
@LookupIfProperty(name = "flowcast.registry.enabled", stringValue = "true", lookupIfMissing = true)
public class RegistryModelControl implements ModelControl {

    @Inject
    ModelRegistry registry;

    @Inject
    ModelCatalog catalog;

    @Inject
    RetrainService retrainer;

    @Override
    public ModelVersionInfo activate(String stream, int version) {
        profile(stream);
        ModelVersion manifest = registry.manifest(stream, version).orElseThrow(() -> new NoSuchElementException(
                "stream '" + stream + "' has no version " + version + " in the registry"));
        if (registry.artifact(stream, version).isEmpty()) {
            throw new IllegalStateException(stream + " v" + version + " has no verified artifact here (refused or "
                    + "still arriving)");
        }
        registry.activate(stream, version, "operator request");
        return new ModelVersionInfo(stream + ".flow", version, true, Instant.ofEpochMilli(manifest.createdAt()),
                numeric(manifest.metrics()), manifest.contextTimeFeatures());
    }

    @Override
    public RetrainTicket retrain(String stream, String reason) {
        StreamProfile profile = profile(stream);
        if (!retrainer.startRetrain(profile, reason)) {
            throw new IllegalStateException("a retrain is running; try again when it has finished");
        }
        return new RetrainTicket(stream, UUID.randomUUID().toString(), Instant.now());
    }

    private StreamProfile profile(String stream) {
        return catalog.profile(stream).orElseThrow(() -> new NoSuchElementException(
                "stream '" + stream + "' is not scored here"));
    }

    static Map<String, Double> numeric(Map<String, Object> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((key, value) -> {
            if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
                out.put(key, number.doubleValue());
            }
        });
        if (out.containsKey("validation_nll")) {
            out.put(ModelVersionInfo.VALIDATION_NLL, out.get("validation_nll"));
        }
        return out;
    }
}
