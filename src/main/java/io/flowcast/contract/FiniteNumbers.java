package io.flowcast.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds numbers a JSON Schema cannot see are broken: NaN and Infinity (in a tree built in code, or from a literal
 * that overflows a double such as {@code 1e400}), and huge integers or decimals that overflow a double when a model
 * reads them. JSON itself has no such values, so no schema keyword can reject them.
 */
final class FiniteNumbers {

    private FiniteNumbers() {
    }

    /** One violation per non-finite number in {@code node}, located by JSON path; empty when all are finite. */
    static List<Violation> find(JsonNode node) {
        if (allFinite(node)) {
            return List.of(); // the common case builds no path strings
        }
        List<Violation> found = new ArrayList<>();
        walk(node, "$", found);
        return found;
    }

    private static boolean allFinite(JsonNode node) {
        if (node.isNumber()) {
            return Double.isFinite(node.doubleValue());
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (!allFinite(child)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void walk(JsonNode node, String path, List<Violation> found) {
        if (node.isNumber()) {
            if (!Double.isFinite(node.doubleValue())) {
                found.add(new Violation(path, "finite",
                        path + ": " + node.asText() + " is not a finite number (NaN, Infinity or beyond a double's range)"));
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                walk(field.getValue(), path + "." + field.getKey(), found);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", found);
            }
        }
    }
}
