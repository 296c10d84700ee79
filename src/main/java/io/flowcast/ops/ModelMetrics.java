package io.flowcast.ops;

import io.flowcast.api.ServedModels;
import io.flowcast.contract.ExportedMetric;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.ModelVersionInfo;
import io.flowcast.serving.StreamModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The gauges that describe the serving models, refreshed from the catalog every few seconds (a hot swap shows within
 * one refresh): the version serving per model with its execution provider ({@code flowcast_model_info}, 1), the
 * model's age ({@code flowcast_model_age_seconds}, where the catalog knows its creation time), the median live NLL
 * minus the median held-out NLL ({@code flowcast_model_nll_drift}, once the model's scores are seen; see
 * {@link LiveNll} for why medians) and the execution providers in
 * use ({@code flowcast_execution_provider_info}, 1 each: cpu or cuda for ONNX Runtime sessions, jvm for the warm-up
 * models the JVM evaluates). Ages and drifts are computed at scrape time.
 */
@ApplicationScoped
public class ModelMetrics {

    private final ModelCatalog catalog;
    private final LiveNll liveNll;
    private final Clock clock;
    private final MultiGauge info;
    private final MultiGauge age;
    private final MultiGauge drift;
    private final MultiGauge providers;

    @Inject
    public ModelMetrics(ModelCatalog catalog, LiveNll liveNll, MeterRegistry registry) {
        this(catalog, liveNll, registry, Clock.systemUTC());
    }

    ModelMetrics(ModelCatalog catalog, LiveNll liveNll, MeterRegistry registry, Clock clock) {
        this.catalog = catalog;
        this.liveNll = liveNll;
        this.clock = clock;
        this.info = gauge(ExportedMetric.MODEL_INFO, registry);
        this.age = gauge(ExportedMetric.MODEL_AGE, registry);
        this.drift = gauge(ExportedMetric.MODEL_NLL_DRIFT, registry);
        this.providers = gauge(ExportedMetric.EXECUTION_PROVIDER_INFO, registry);
    }

    void onStart(@Observes StartupEvent event) {
        refresh();
    }

    @Scheduled(every = "${flowcast.metrics.model-refresh:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        List<MultiGauge.Row<?>> infoRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        List<MultiGauge.Row<?>> driftRows = new ArrayList<>();
        TreeSet<String> inUse = new TreeSet<>();
        for (String stream : new TreeSet<>(catalog.streams())) {
            Optional<StreamModel> current = catalog.current(stream);
            if (current.isEmpty()) {
                continue;
            }
            StreamModel model = current.get();
            String provider = ServedModels.provider(model);
            inUse.add(provider);
            infoRows.add(MultiGauge.Row.of(Tags.of("model", model.name(), "version",
                    Integer.toString(model.version()), "provider", provider), 1));
            Optional<ModelVersionInfo> serving = catalog.versions(stream).stream()
                    .filter(v -> v.serving() && v.model().equals(model.name()) && v.version() == model.version())
                    .findFirst();
            Instant created = serving.map(ModelVersionInfo::createdAt).orElse(null);
            if (created != null) {
                ageRows.add(MultiGauge.Row.of(Tags.of("model", model.name()),
                        () -> (clock.millis() - created.toEpochMilli()) / 1000.0));
            }
            Double validationNll = serving.map(v -> v.metrics().get(ModelVersionInfo.VALIDATION_NLL_MEDIAN))
                    .orElse(null);
            if (validationNll != null && liveNll.median(model.ref()).isPresent()) {
                driftRows.add(MultiGauge.Row.of(Tags.of("model", model.name()),
                        () -> liveNll.median(model.ref()).orElse(Double.NaN) - validationNll));
            }
        }
        info.register(infoRows, true);
        age.register(ageRows, true);
        drift.register(driftRows, true);
        providers.register(inUse.stream().map(p -> MultiGauge.Row.of(Tags.of("provider", p), 1))
                .map(row -> (MultiGauge.Row<?>) row).toList(), true);
    }

    private static MultiGauge gauge(ExportedMetric metric, MeterRegistry registry) {
        return MultiGauge.builder(metric.micrometerName()).description(metric.description())
                .baseUnit(metric.baseUnit()).register(registry);
    }
}
