package io.flowcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowcast.contract.ExportedMetric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the dashboard name only metrics the service exports ({@link ExportedMetric}), group them only
 * by labels those metrics carry, and the two deployments (Kubernetes, compose) carry the same rules.
 */
class MonitoringTest {

    private static final Path MONITORING = DeploymentFiles.K8S.resolve("monitoring");
    private static final Path RULES = MONITORING.resolve("flowcast-rules.yml");
    private static final Path DASHBOARD = MONITORING.resolve("flowcast-dashboard.json");

    /** Series from outside the service: Prometheus' scrape health and kube-state-metrics' job status (the CronJob). */
    private static final Set<String> EXTERNAL_SERIES = Set.of("up", "kube_job_status_failed");
    /** Labels Prometheus adds to every scraped series, and the histogram bucket label. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job", "pod", "namespace", "le");

    @Test
    void thePrometheusRuleCarriesExactlyTheComposeRules() {
        JsonNode operatorRule = DeploymentFiles.yaml(MONITORING.resolve("prometheusrule.yaml"));
        assertEquals("PrometheusRule", operatorRule.path("kind").asText());
        assertEquals(DeploymentFiles.yaml(RULES), operatorRule.path("spec"),
                "prometheusrule.yaml's spec must equal flowcast-rules.yml: edit the rule file, then copy it");
    }

    @Test
    void theRequiredAlertsExistAndAreRoutable() {
        Set<String> alerts = new TreeSet<>();
        for (JsonNode rule : rules()) {
            if (rule.has("alert")) {
                alerts.add(rule.path("alert").asText());
                String severity = rule.path("labels").path("severity").asText();
                assertTrue(Set.of("warning", "critical").contains(severity), rule + " needs severity warning|critical");
                assertFalse(rule.path("annotations").path("summary").asText().isBlank(), rule + " needs a summary");
                assertFalse(rule.path("annotations").path("description").asText().isBlank(), rule + " needs a description");
            }
        }
        for (String required : List.of("FlowcastAnomalyRateSurge", "FlowcastScoringLatencyHigh", "FlowcastConsumerLagHigh",
                "FlowcastModelStale", "FlowcastDeadLetterRate", "FlowcastRetrainFailures")) {
            assertTrue(alerts.contains(required), "missing alert " + required + "; have " + alerts);
        }
    }

    @Test
    void ruleExpressionsNameRealMetricsAndLabels() {
        Set<String> recorded = new HashSet<>();
        for (JsonNode rule : rules()) {
            if (rule.has("record")) {
                recorded.add(rule.path("record").asText());
            }
        }
        for (JsonNode rule : rules()) {
            String expr = rule.path("expr").asText();
            checkExpression(expr, recorded, rule.path(rule.has("alert") ? "alert" : "record").asText());
        }
    }

    @Test
    void dashboardQueriesNameRealMetricsAndLabels() {
        List<String> exprs = dashboardExpressions();
        assertFalse(exprs.isEmpty());
        for (String expr : exprs) {
            checkExpression(expr, Set.of(), "dashboard");
        }
    }

    @Test
    void theDashboardShowsEveryExportedMetric() {
        Set<String> used = new HashSet<>();
        dashboardExpressions().forEach(expr -> used.addAll(PromQl.metricNames(expr)));
        for (ExportedMetric metric : ExportedMetric.values()) {
            assertTrue(metric.prometheusSeries().stream().anyMatch(used::contains),
                    () -> "the dashboard does not show " + metric.prometheusName());
        }
    }

    @Test
    void everyDashboardPanelQueriesThroughTheDatasourceVariable() {
        JsonNode dashboard = DeploymentFiles.json(DASHBOARD);
        assertFalse(dashboard.path("uid").asText().isBlank(), "a fixed uid keeps links stable across re-provisioning");
        for (JsonNode panel : dashboard.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), panel.path("title").asText());
                assertTrue(panel.path("targets").size() > 0, panel.path("title").asText());
            }
        }
    }

    private static void checkExpression(String expr, Set<String> recorded, String where) {
        Set<String> exported = ExportedMetric.allPrometheusSeries();
        Set<String> names = PromQl.metricNames(expr);
        assertFalse(names.isEmpty(), where + ": no metric in " + expr);
        for (String name : names) {
            assertTrue(exported.contains(name) || recorded.contains(name) || EXTERNAL_SERIES.contains(name),
                    () -> where + ": " + name + " is not a metric the service exports (" + expr + ")");
        }
        for (Map.Entry<String, Set<String>> grouping : PromQl.groupingLabels(expr).entrySet()) {
            Set<String> allowed = new HashSet<>(TARGET_LABELS);
            tagsOf(grouping.getKey()).forEach(allowed::add);
            for (String label : grouping.getValue()) {
                assertTrue(allowed.contains(label) || recorded.contains(grouping.getKey()) || isExternal(grouping.getKey()),
                        () -> where + ": " + grouping.getKey() + " has no label " + label + " (" + expr + ")");
            }
        }
    }

    private static boolean isExternal(String series) {
        return EXTERNAL_SERIES.contains(series);
    }

    private static List<String> tagsOf(String series) {
        for (ExportedMetric metric : ExportedMetric.values()) {
            if (metric.prometheusSeries().contains(series)) {
                return metric.tags();
            }
        }
        return List.of();
    }

    private static List<JsonNode> rules() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode group : DeploymentFiles.yaml(RULES).path("groups")) {
            group.path("rules").forEach(out::add);
        }
        assertFalse(out.isEmpty());
        return out;
    }

    /** Every PromQL expression of the dashboard: panel targets (also inside collapsed rows) and template queries. */
    private static List<String> dashboardExpressions() {
        JsonNode dashboard = DeploymentFiles.json(DASHBOARD);
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            collectTargets(panel, exprs);
            panel.path("panels").forEach(nested -> collectTargets(nested, exprs));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                exprs.add(variable.path("definition").asText());
            }
        }
        return exprs;
    }

    private static void collectTargets(JsonNode panel, List<String> exprs) {
        for (JsonNode target : panel.path("targets")) {
            exprs.add(target.path("expr").asText());
        }
    }
}
