package dev.stockade.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of the API server's CRD validation our schema uses: structural-schema rules, and
 * validation plus pruning of an object (types, enum, required, int-or-string, preserve-unknown).
 * A field the API server would silently prune is reported, because "accepted exactly as
 * written" means nothing is dropped.
 */
final class StructuralSchema {
    private StructuralSchema() {
    }

    private static final Set<String> JUNCTORS = Set.of("allOf", "anyOf", "oneOf", "not");
    private static final Set<String> FORBIDDEN_IN_JUNCTORS = Set.of("type", "description", "default",
            "additionalProperties", "nullable");

    /** Violations of the structural-schema rules (Kubernetes docs, "Specifying a structural schema"). */
    static List<String> structuralViolations(JsonNode schema) {
        List<String> out = new ArrayList<>();
        if (!"object".equals(schema.path("type").asText())) {
            out.add("root: type must be object");
        }
        walk(schema, "", out, false);
        JsonNode metadata = schema.path("properties").path("metadata");
        for (Iterator<String> it = metadata.path("properties").fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!f.equals("name") && !f.equals("generateName")) {
                out.add("metadata: only name and generateName may be restricted, not " + f);
            }
        }
        return out;
    }

    private static void walk(JsonNode s, String path, List<String> out, boolean inJunctor) {
        boolean typed = s.has("type") || s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                || s.path("x-kubernetes-int-or-string").asBoolean(false);
        if (!inJunctor && !typed) {
            out.add(path + ": a type is required (or x-kubernetes-preserve-unknown-fields / x-kubernetes-int-or-string)");
        }
        if (inJunctor) {
            FORBIDDEN_IN_JUNCTORS.stream().filter(s::has).forEach(f -> out.add(path + ": " + f + " inside a junctor"));
        }
        if (s.has("items") && !"array".equals(s.path("type").asText())) {
            out.add(path + ": items without type array");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            walk(e.getValue(), path + "." + e.getKey(), out, inJunctor);
        }
        if (s.path("additionalProperties").isObject()) {
            walk(s.path("additionalProperties"), path + ".*", out, inJunctor);
        }
        if (s.path("items").isObject()) {
            walk(s.path("items"), path + "[]", out, inJunctor);
        }
        for (String j : JUNCTORS) {
            JsonNode junctor = s.path(j);
            if (junctor.isArray()) {
                junctor.forEach(sub -> walk(sub, path + "(" + j + ")", out, true));
            } else if (junctor.isObject()) {
                walk(junctor, path + "(" + j + ")", out, true);
            }
        }
    }

    /** Validation errors and would-be-pruned fields of {@code value} against {@code schema}; empty = accepted as written. */
    static List<String> validate(JsonNode schema, JsonNode value) {
        List<String> out = new ArrayList<>();
        validate(schema, value, "", out);
        return out;
    }

    private static void validate(JsonNode s, JsonNode v, String path, List<String> out) {
        String at = path.isEmpty() ? "<root>" : path;
        if (v.isNull()) {
            if (!s.path("nullable").asBoolean(false)) {
                out.add(at + ": null is not allowed");
            }
            return;
        }
        if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!v.isIntegralNumber() && !v.isTextual()) {
                out.add(at + ": must be an integer or a string");
            }
            return;
        }
        String type = s.path("type").asText("");
        boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        switch (type) {
            case "object" -> validateObject(s, v, path, out, preserve);
            case "array" -> {
                if (!v.isArray()) {
                    out.add(at + ": must be an array");
                } else {
                    for (int i = 0; i < v.size(); i++) {
                        validate(s.path("items"), v.get(i), path + "[" + i + "]", out);
                    }
                }
            }
            case "string" -> {
                if (!v.isTextual()) {
                    out.add(at + ": must be a string");
                } else if (s.has("enum") && !contains(s.path("enum"), v)) {
                    out.add(at + ": " + v.asText() + " is not one of " + s.path("enum"));
                }
            }
            case "integer" -> {
                if (!v.isIntegralNumber()) {
                    out.add(at + ": must be an integer");
                }
            }
            case "number" -> {
                if (!v.isNumber()) {
                    out.add(at + ": must be a number");
                }
            }
            case "boolean" -> {
                if (!v.isBoolean()) {
                    out.add(at + ": must be a boolean");
                }
            }
            case "" -> {
                if (!preserve) {
                    out.add(at + ": schema node without a type");
                }
            }
            default -> out.add(at + ": unsupported schema type " + type);
        }
    }

    private static void validateObject(JsonNode s, JsonNode v, String path, List<String> out, boolean preserve) {
        String at = path.isEmpty() ? "<root>" : path;
        if (!v.isObject()) {
            out.add(at + ": must be an object");
            return;
        }
        for (JsonNode req : s.path("required")) {
            if (!v.has(req.asText())) {
                out.add(at + ": " + req.asText() + " is required");
            }
        }
        boolean metadataRoot = path.equals(".metadata");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String child = path + "." + e.getKey();
            if (s.path("properties").has(e.getKey())) {
                validate(s.path("properties").path(e.getKey()), e.getValue(), child, out);
            } else if (s.path("additionalProperties").isObject()) {
                validate(s.path("additionalProperties"), e.getValue(), child, out);
            } else if (!preserve && !metadataRoot) {
                out.add(child + ": unknown field, the API server would prune it");
            }
        }
    }

    private static boolean contains(JsonNode array, JsonNode v) {
        for (JsonNode e : array) {
            if (e.equals(v)) {
                return true;
            }
        }
        return false;
    }
}
