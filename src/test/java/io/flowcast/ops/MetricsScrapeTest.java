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
import java.util.ArrayList;
import java.util.EnumSet;
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

    /** Registered by the retrainer's runs, which do not run in this service's tests (flowcast.retrain.cron=off). */
    private static final Set<ExportedMetric> PRODUCED_ELSEWHERE = EnumSet.of(ExportedMetric.RETRAIN_RUNS,
            ExportedMetric.RETRAIN_DURATION);
    private static final String MODEL = ApiTestSupport.STREAM + ".linear-gaussian";

    @Test
    void theScrapeCarriesEveryPromisedMetricWithPlausibleValues() throws InterruptedException {
        ApiTestSupport.awaitReady();
        ApiTestSupport.ensureStreamServes();
        String entity = "metrics-" + System.nanoTime();
        long start = System.currentTimeMillis() - 100_000;
        List<byte[][]> records = new ArrayList<>();
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
        double p99Bucket = value(scrape, "flowcast_scoring_batch_seconds_bucket", "le=\"+Inf\"");
        assertTrue(p99Bucket >= 1, "batches timed: " + p99Bucket);
        assertTrue(value(scrape, "flowcast_anomalies_total", "stream=\"" + ApiTestSupport.STREAM + "\"") >= 1);
        assertTrue(value(scrape, "flowcast_records_scored_total", "stream=\"" + ApiTestSupport.STREAM + "\"") >= 40);
        assertTrue(value(scrape, "flowcast_records_in_total", "topic=\"flowcast.events\"") >= 41);
        assertTrue(value(scrape, "flowcast_records_out_total", "topic=\"flowcast.scores\"") >= 41);
        assertTrue(value(scrape, "flowcast_dlq_records_total", "reason=\"MALFORMED_JSON\"") >= 0);
        // One series per Kafka client, bound by Quarkus' Kafka Streams binder. The value is a max over Kafka's
        // sample window: NaN when the consumer fetched nothing in it, else records behind.
        Matcher lag = Pattern.compile("^kafka_consumer_fetch_manager_records_lag_max\\{[^}]*StreamThread[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(scrape);
        assertTrue(lag.find(), "no stream-thread consumer lag in the scrape");
        double lagValue = Double.parseDouble(lag.group(1));
        assertTrue(Double.isNaN(lagValue) || lagValue >= 0, "lag " + lag.group(1));

        String finalScrape = scrape;
        for (ExportedMetric metric : ExportedMetric.values()) {
            if (!PRODUCED_ELSEWHERE.contains(metric)) {
                assertTrue(metric.prometheusSeries().stream().anyMatch(s -> finalScrape.contains("\n" + s + "{")
                        || finalScrape.contains("\n" + s + " ")), "the scrape lacks " + metric.prometheusName());
            }
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
