package io.flowcast.deploy;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL reading to check expressions against the exported metrics: the metric (and recording rule)
 * names an expression selects, and the labels it aggregates each metric by.
 */
final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*\\}");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    /** {@code by (a, b) (fn(metric} or {@code by (a) (metric}: the labels an aggregation keeps for a metric. */
    private static final Pattern AGGREGATION = Pattern.compile(
            "by\\s*\\(([^)]*)\\)\\s*\\((?:\\s*(?:rate|increase|irate|delta|max_over_time|avg_over_time)\\s*\\()?\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

    /** Prefixes of the series names that are ours to check; everything else is PromQL (functions, keywords, labels). */
    private static final String[] METRIC_PREFIXES = {"flowcast_", "kafka_", "kube_"};

    private PromQl() {
    }

    /**
     * The metric names an expression selects: identifiers with one of our prefixes, recording rules (names with a
     * colon), and Prometheus' own {@code up}. Strings, ranges and label matchers are removed first.
     */
    static Set<String> metricNames(String expr) {
        String stripped = LABEL_MATCHERS.matcher(RANGE.matcher(STRING.matcher(expr).replaceAll("\"\"")).replaceAll(""))
                .replaceAll("");
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = IDENTIFIER.matcher(stripped);
        while (matcher.find()) {
            String token = matcher.group();
            if (token.contains(":") || token.equals("up") || hasMetricPrefix(token)) {
                names.add(token);
            }
        }
        return names;
    }

    /** For each {@code by (...)} aggregation directly over a metric: metric name to the labels it groups by. */
    static Map<String, Set<String>> groupingLabels(String expr) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        Matcher matcher = AGGREGATION.matcher(expr);
        while (matcher.find()) {
            Set<String> labels = out.computeIfAbsent(matcher.group(2), k -> new LinkedHashSet<>());
            for (String label : matcher.group(1).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.trim());
                }
            }
        }
        return out;
    }

    private static boolean hasMetricPrefix(String token) {
        for (String prefix : METRIC_PREFIXES) {
            if (token.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
