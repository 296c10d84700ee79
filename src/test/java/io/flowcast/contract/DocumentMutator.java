package io.flowcast.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates input-topic documents for property-style tests: a random valid record, then zero to three random
 * mutations, some on the structure (drop, retype, add, nest) and some on the bytes (duplicate keys, trailing data,
 * truncation, non-numeric literals, invalid UTF-8). Values are kept as raw JSON text so that literals no Java value
 * prints ({@code 1e400}, {@code -0}, 30-digit integers) can be written.
 */
final class DocumentMutator {

    private static final String[] ODD_VALUES = {
        "\"text\"", "\"\"", "0", "-0", "-0.0", "1.0", "1.5", "1e15", "-1e15", "1.0000000000000002e15",
        "1000000000000001", "-1000000000000001", "1e16", "1e400", "-1e400", "1e-400", "123456789012345678901234567890",
        "9223372036854775807", "9223372036854775808", "253402300799999", "253402300800000", "2.53402300799999e14",
        "1.7e12", "1700000000000.0", "1700000000000.5", "-1", "true", "false", "null", "[]", "[1,2]", "{}",
        "{\"a\":1}", "{\"a\":{\"b\":[1,{\"c\":null}]}}", "6.283185307179586", "6.283185307179587", "-6.283185307179586",
        "1000", "1000.0000000001", "1e7", "-1e7", "10000000.000000002", "\"ab\\n\"", "\"\\u0000x\"", "\"x\\u007f\"",
        "\"a b\"", "\"\u00e9\"", "\"\uD83D\uDE00\"", "\"abc\\n\"", "\"abc\\r\\n\"", "\"abc\\u2028\"", "\"_x\"", "\".x\"",
        "\"a/b:c-d.e\"", "\"sensors\"", "\"e-1\"", quoted(repeat("a", 128)), quoted(repeat("a", 129)),
        quoted(repeat("a", 256)), quoted(repeat("a", 257)), quoted(repeat("b", 1024)), quoted(repeat("b", 1025)),
        quoted(repeat("\uD83D\uDE00", 256)), quoted(repeat("\uD83D\uDE00", 257)), quoted(repeat("\uD83D\uDE00", 1024)),
        quoted(repeat("\uD83D\uDE00", 1025)),
    };

    private static final String[] ODD_NAMES = {
        "", "a b", "\u00e9", "abc\\n", "_x", ".x", "x.y:z/w-v", "\\u0000", "x\\u2028", "9", "-x",
        repeat("n", 128), repeat("n", 129), "entityId", "features", "postion", "z", "x", "y", "heading", "speed",
        "scene", "stream", "attributes", "eventTime",
    };

    private DocumentMutator() {
    }

    static Map<String, Object> event(Random random) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("entityId", quoted(entityId(random)));
        doc.put("eventTime", Long.toString(1_700_000_000_000L + random.nextInt(1_000_000_000)));
        doc.put("stream", quoted(random.nextBoolean() ? "sensors" : "payments.eu-1_x"));
        Map<String, Object> features = new LinkedHashMap<>();
        int count = random.nextInt(20) == 0 ? 256 : 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            features.put(i == 0 ? "latency_ms" : "f" + i + (random.nextBoolean() ? ":a/b" : ""), number(random, 1e6));
        }
        doc.put("features", features);
        if (random.nextBoolean()) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            int n = random.nextInt(20) == 0 ? 64 : random.nextInt(3);
            for (int i = 0; i < n; i++) {
                attributes.put("a" + i, quoted(random.nextBoolean() ? "eu" : "\u00fcber \uD83D\uDE00"));
            }
            doc.put("attributes", attributes);
        }
        return doc;
    }

    static Map<String, Object> trajectory(Random random) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("entityId", quoted(entityId(random)));
        doc.put("eventTime", Long.toString(1_700_000_000_000L + random.nextInt(1_000_000_000)));
        Map<String, Object> position = new LinkedHashMap<>();
        position.put("x", number(random, 1e4));
        position.put("y", number(random, 1e4));
        if (random.nextBoolean()) {
            position.put("z", number(random, 10));
        }
        doc.put("position", position);
        if (random.nextBoolean()) {
            doc.put("heading", Double.toString(random.nextDouble() * 6 - 3));
            doc.put("speed", Double.toString(random.nextDouble() * 3));
        }
        if (random.nextBoolean()) {
            doc.put("scene", quoted("eth"));
        }
        if (random.nextBoolean()) {
            doc.put("stream", quoted("pedestrians"));
        }
        if (random.nextBoolean()) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("class", quoted("pedestrian"));
            attributes.put("confidence", random.nextBoolean() ? "0.93" : "7");
            attributes.put("tracked", random.nextBoolean() ? "true" : "null");
            if (random.nextInt(10) == 0) {
                for (int i = 0; i < 61; i++) {
                    attributes.put("k" + i, "false");
                }
            }
            doc.put("attributes", attributes);
        }
        return doc;
    }

    /** Zero to three mutations of {@code doc}, as UTF-8 bytes (some mutations work on the text). */
    static byte[] mutate(Map<String, Object> doc, Random random) {
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            mutateStructure(pickObject(doc, random), random);
        }
        String text = write(doc);
        if (random.nextInt(8) == 0) {
            return mutateText(text, random);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> pickObject(Map<String, Object> doc, Random random) {
        List<Map<String, Object>> objects = new ArrayList<>();
        objects.add(doc);
        doc.values().forEach(v -> {
            if (v instanceof Map<?, ?> nested) {
                objects.add((Map<String, Object>) nested);
            }
        });
        return objects.get(random.nextInt(objects.size()));
    }

    private static void mutateStructure(Map<String, Object> object, Random random) {
        List<String> keys = new ArrayList<>(object.keySet());
        switch (random.nextInt(4)) {
            case 0 -> {
                if (!keys.isEmpty()) {
                    object.remove(keys.get(random.nextInt(keys.size())));
                }
            }
            case 1 -> {
                if (!keys.isEmpty()) {
                    object.put(keys.get(random.nextInt(keys.size())), ODD_VALUES[random.nextInt(ODD_VALUES.length)]);
                }
            }
            case 2 -> object.put(ODD_NAMES[random.nextInt(ODD_NAMES.length)],
                    ODD_VALUES[random.nextInt(ODD_VALUES.length)]);
            default -> {
                Map<String, Object> nested = new LinkedHashMap<>();
                nested.put("x", ODD_VALUES[random.nextInt(ODD_VALUES.length)]);
                object.put(keys.isEmpty() ? "x" : keys.get(random.nextInt(keys.size())), nested);
            }
        }
    }

    private static byte[] mutateText(String text, Random random) {
        String mutated = switch (random.nextInt(9)) {
            case 0 -> "{\"entityId\":\"dup\"," + text.substring(1); // a duplicate key when entityId is there
            case 1 -> text.replaceFirst("\\{\"latency_ms\"", "{\"latency_ms\":1,\"latency_ms\"");
            case 2 -> text + (random.nextBoolean() ? " {}" : " x");
            case 3 -> text + " \n\t ";
            case 4 -> text.substring(0, random.nextInt(text.length()));
            case 5 -> text.replaceFirst(":(-?[0-9.]+)([,}])", random.nextBoolean() ? ":NaN$2" : ":-Infinity$2");
            case 6 -> "/*c*/" + text;
            case 7 -> "\uFEFF" + text;
            default -> text;
        };
        byte[] bytes = mutated.getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(9) == 0 && bytes.length > 0) {
            bytes[random.nextInt(bytes.length)] = (byte) 0xFF; // invalid UTF-8
        }
        return bytes;
    }

    @SuppressWarnings("unchecked")
    private static String write(Map<String, Object> object) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Object> entry : object.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(entry.getKey()).append("\":");
            out.append(entry.getValue() instanceof Map<?, ?> nested
                    ? write((Map<String, Object>) nested) : (String) entry.getValue());
        }
        return out.append('}').toString();
    }

    private static String entityId(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> "sensor-" + random.nextInt(1000);
            case 1 -> "\u00e9quipe \uD83D\uDE00 " + random.nextInt(10);
            case 2 -> "a";
            default -> "agent/" + random.nextInt(100) + " (north)";
        };
    }

    private static String number(Random random, double scale) {
        return switch (random.nextInt(3)) {
            case 0 -> Integer.toString(random.nextInt(2000) - 1000);
            case 1 -> Double.toString((random.nextDouble() - 0.5) * scale);
            default -> String.format("%.3e", (random.nextDouble() - 0.5) * scale);
        };
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private static String repeat(String text, int times) {
        return text.repeat(times);
    }
}
