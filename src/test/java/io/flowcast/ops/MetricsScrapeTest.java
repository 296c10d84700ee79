package io.flowcast.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.api.ApiTestSupport;
import io.flowcast.contract.ExportedMetric;
import io.flowcast.contract.TopicNames;
import io.flowcast.embedded.KafkaBrokerResource;
import io.flowcast.embedded.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.flowcast.serving.ModelControl;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * After records are scored through the broker, the Prometheus scrape carries every metric {@link ExportedMetric}
 * promises, with plausible values: the model gauges name the serving version and where it runs, the model is
 * minutes old at most, its live NLL is near its validation NLL (same data), and Kafka's consumer lag is bound.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
class MetricsScrapeTest {

    private static final String MODEL = ApiTestSupport.STREAM + ".linear-gaussian";
    /** A stream the tests send almost nothing to: its retrain is skipped at once (too few records). */
    private static final String SPARSE_STREAM = "test-pair";
    private static final Set<String> RETRAIN_OUTCOMES = Set.of("promoted", "rejected", "failed", "skipped");

    /** The registry's operator handle (the admin API's delegate); the retrain runs in the service. */
    @Inject
    Instance<ModelControl> control;

    @Test
    void theScrapeCarriesEveryPromisedMetricWithPlausibleValues() throws InterruptedException {
        ApiTestSupport.awaitReady();
        ApiTestSupport.ensureStreamServes();
        String entity = "metrics-" + System.nanoTime();
        long start = System.currentTimeMillis() - 100_000;
        double malformedBefore = value(scrape(), "flowcast_dlq_records_total", "reason=\"MALFORMED_JSON\"");
        List<byte[][]> records = new ArrayList<>();
        records.add(new byte[][] {ApiTestSupport.bytes(entity), ApiTestSupport.bytes("{\"entityId\":")});
        for (int i = 0; i < 40; i++) {
            records.add(new byte[][] {ApiTestSupport.bytes(entity), ApiTestSupport.bytes(ApiTestSupport.event(entity,
                    start + i * 1000L, ApiTestSupport.u(i), ApiTestSupport.v(i)))});
        }
        TestKafka.produce(TopicNames.EVENTS, records);

        String scrape = awaitScrape("flowcast_model_nll_drift{model=\"" + MODEL + "\"}");
        double drift = value(scrape, "flowcast_model_nll_drift", "model=\"" + MODEL + "\"");
        // Records from the fitted distribution: the live NLL sits near the validation NLL.
        assertTrue(Math.abs(drift) < 2, "NLL drift " + drift);
        assertEquals(1.0, value(scrape, "flowcast_model_info", "model=\"" + MODEL + "\"", "provider=\"jvm\"",
                "version=\"1\""));
        double age = value(scrape, "flowcast_model_age_seconds", "model=\"" + MODEL + "\"");
        assertTrue(age >= 0 && age < 600, "model age " + age);
        assertEquals(1.0, value(scrape, "flowcast_execution_provider_info", "provider=\"jvm\""));

        // Far off the curve: anomalous under the stream's threshold.
        TestKafka.produce(TopicNames.EVENTS, List.<byte[][]>of(new byte[][] {ApiTestSupport.bytes(entity),
                ApiTestSupport.bytes(ApiTestSupport.event(entity, start + 40_000, 30, -30))}));
        scrape = awaitScrape("flowcast_alerts_opened_total{stream=\"" + ApiTestSupport.STREAM + "\"}");
        assertTrue(value(scrape, "flowcast_alerts_opened_total", "stream=\"" + ApiTestSupport.STREAM + "\"") >= 1);
        assertTrue(value(scrape, "flowcast_scoring_record_seconds_count") >= 41);
        assertTrue(value(scrape, "flowcast_batch_size_count") >= 1);
        // The per-record timer counts records: as many as the batches held, each timed at its batch's share (read
        // from one scrape between batches: a batch scored while the meters are read would count on one side only).
        String settled = awaitScrapeWhere(
                s -> value(s, "flowcast_batch_size_sum") == value(s, "flowcast_scoring_record_seconds_count"),
                "as many per-record timings as records in batches");
        assertTrue(value(settled, "flowcast_scoring_record_seconds_count")
                >= value(settled, "flowcast_scoring_batch_seconds_count"));
        assertEquals(value(settled, "flowcast_scoring_batch_seconds_sum"),
                value(settled, "flowcast_scoring_record_seconds_sum"),
                1e-9 * value(settled, "flowcast_scoring_record_seconds_count") + 1e-6);
        double p99Bucket = value(scrape, "flowcast_scoring_batch_seconds_bucket", "le=\"+Inf\"");
        assertTrue(p99Bucket >= 1, "batches timed: " + p99Bucket);
        assertTrue(value(scrape, "flowcast_anomalies_total", "stream=\"" + ApiTestSupport.STREAM + "\"") >= 1);
        assertTrue(value(scrape, "flowcast_records_scored_total", "stream=\"" + ApiTestSupport.STREAM + "\"") >= 40);
        assertTrue(value(scrape, "flowcast_records_in_total", "topic=\"flowcast.events\"") >= 41);
        assertTrue(value(scrape, "flowcast_records_out_total", "topic=\"flowcast.scores\"") >= 41);
        assertTrue(value(scrape, "flowcast_dlq_records_total", "reason=\"MALFORMED_JSON\"") >= malformedBefore + 1,
                "the malformed record is counted");
        assertTrue(value(scrape, "flowcast_records_out_total", "topic=\"flowcast.dlq\"") >= 1);
        // One series per Kafka client, bound by Quarkus' Kafka Streams binder. The value is a max over Kafka's
        // sample window: NaN when the consumer fetched nothing in it, else records behind.
        Matcher lag = Pattern.compile("^kafka_consumer_fetch_manager_records_lag_max\\{[^}]*StreamThread[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(scrape);
        assertTrue(lag.find(), "no stream-thread consumer lag in the scrape");
        double lagValue = Double.parseDouble(lag.group(1));
        assertTrue(Double.isNaN(lagValue) || lagValue >= 0, "lag " + lag.group(1));

        // A retrain run, as the admin API starts one: the sparse stream's is skipped (too few records), which is
        // counted and timed like any outcome.
        assertTrue(control.isResolvable(), "the service wires the model registry's control");
        awaitRetrainAccepted();
        scrape = awaitScrape("flowcast_retrain_duration_seconds_count{stream=\"" + SPARSE_STREAM + "\"}");
        assertTrue(value(scrape, "flowcast_retrain_runs_total", "outcome=\"skipped\"",
                "stream=\"" + SPARSE_STREAM + "\"") >= 1);
        Matcher outcomes = Pattern.compile("^flowcast_retrain_runs_total\\{[^}]*outcome=\"([^\"]*)\"",
                Pattern.MULTILINE).matcher(scrape);
        while (outcomes.find()) {
            assertTrue(RETRAIN_OUTCOMES.contains(outcomes.group(1)), "retrain outcome " + outcomes.group(1));
        }
        double retrainSeconds = value(scrape, "flowcast_retrain_duration_seconds_sum",
                "stream=\"" + SPARSE_STREAM + "\"");
        assertTrue(retrainSeconds >= 0 && retrainSeconds < 600, "retrain took " + retrainSeconds + " s");

        String finalScrape = scrape;
        for (ExportedMetric metric : ExportedMetric.values()) {
            assertTrue(metric.prometheusSeries().stream().anyMatch(s -> finalScrape.contains("\n" + s + "{")
                    || finalScrape.contains("\n" + s + " ")), "the scrape lacks " + metric.prometheusName());
        }
    }

    /** Starts a retrain of the sparse stream, waiting while another run (a test's or the drift trigger's) goes on. */
    private void awaitRetrainAccepted() throws InterruptedException {
        long deadline = System.nanoTime() + ApiTestSupport.TIMEOUT.toNanos();
        while (true) {
            try {
                control.get().retrain(SPARSE_STREAM, "metrics scrape test");
                return;
            } catch (IllegalStateException running) {
                if (System.nanoTime() > deadline) {
                    throw running;
                }
                Thread.sleep(500);
            }
        }
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static String awaitScrapeWhere(java.util.function.Predicate<String> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + ApiTestSupport.TIMEOUT.toNanos();
        while (true) {
            String scrape = scrape();
            if (condition.test(scrape)) {
                return scrape;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never " + what + " in the scrape");
            }
            Thread.sleep(200);
        }
    }

    /** Scrapes until a series appears (the model gauges refresh every few seconds). */
    private static String awaitScrape(String series) throws InterruptedException {
        long deadline = System.nanoTime() + ApiTestSupport.TIMEOUT.toNanos();
        while (true) {
            String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
            if (scrape.contains(series)) {
                return scrape;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + series + " in the scrape:\n" + scrape.lines()
                        .filter(l -> l.startsWith("flowcast_")).toList());
            }
            Thread.sleep(500);
        }
    }

    /** The value of the first series of {@code name} whose labels contain every given {@code label="value"}. */
    private static double value(String scrape, String name, String... labels) {
        Matcher matcher = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE)
                .matcher(scrape);
        while (matcher.find()) {
            String found = matcher.group(1) == null ? "" : matcher.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("no " + name + " with " + List.of(labels) + " in the scrape");
    }
}
