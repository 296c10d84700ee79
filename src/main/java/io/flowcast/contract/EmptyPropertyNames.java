package io.flowcast.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Finds an object holding an empty property name, which the schema validator cannot report by itself. */
final class EmptyPropertyNames {

    private EmptyPropertyNames() {
    }

    /** The JSON path of the first object in {@code node} with an empty property name; {@code null} when none. */
    static String locate(JsonNode node) {
        return locate(node, "$");
    }

    private static String locate(JsonNode node, String path) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().isEmpty()) {
                    return path;
                }
                String found = locate(field.getValue(), path + "." + field.getKey());
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = locate(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
