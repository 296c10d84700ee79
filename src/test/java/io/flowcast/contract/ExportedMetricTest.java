package io.flowcast.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus names {@link ExportedMetric} promises are the names Micrometer's Prometheus registry (the one the
 * service uses) really writes when each meter is registered as the enum says.
 */
class ExportedMetricTest {

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);

    @Test
    void promisedSeriesAreWhatTheRegistryScrapes() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (ExportedMetric metric : ExportedMetric.values()) {
            register(registry, metric);
        }
        Set<String> scraped = new TreeSet<>();
        Matcher matcher = SERIES.matcher(registry.scrape());
        while (matcher.find()) {
            scraped.add(matcher.group(1));
        }
        assertEquals(ExportedMetric.allPrometheusSeries(), scraped);
    }

    @Test
    void theNamesOperationsRelyOnAreExported() {
        Set<String> series = ExportedMetric.allPrometheusSeries();
        for (String name : new String[] {"flowcast_records_scored_total", "flowcast_dlq_records_total",
                "flowcast_scoring_batch_seconds_bucket", "flowcast_model_age_seconds", "flowcast_model_info",
                "kafka_consumer_fetch_manager_records_lag_max"}) {
            assertTrue(series.contains(name), name);
        }
    }

    private static void register(PrometheusMeterRegistry registry, ExportedMetric metric) {
        String[] tags = metric.tags().stream().flatMap(t -> java.util.stream.Stream.of(t, "x")).toArray(String[]::new);
        switch (metric.type()) {
            case COUNTER -> Counter.builder(metric.micrometerName()).tags(tags).register(registry).increment();
            case TIMER -> Timer.builder(metric.micrometerName()).tags(tags).publishPercentileHistogram()
                    .register(registry).record(Duration.ofMillis(3));
            case SUMMARY -> DistributionSummary.builder(metric.micrometerName()).tags(tags).publishPercentileHistogram()
                    .register(registry).record(64);
            case GAUGE -> Gauge.builder(metric.micrometerName(), () -> 1.0).tags(tags).baseUnit(metric.baseUnit())
                    .register(registry);
        }
    }
}
