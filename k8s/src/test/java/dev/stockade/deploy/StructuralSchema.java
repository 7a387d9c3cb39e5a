package dev.stockade.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of the API server's CRD validation our schemas use: structural-schema rules, and
 * validation plus pruning of an object (types, enum, required, minimum/maximum, pattern,
 * min/maxLength, int-or-string, preserve-unknown, and the CEL rules of {@link #CEL_HAS_ANY}).
 * A field the API server would not keep is reported, because "accepted exactly as written"
 * means nothing is dropped: with fieldValidation=Strict (kubectl's default) it is refused, with
 * Warn (the API server's default for other clients) it is pruned.
 */
final class StructuralSchema {
    private StructuralSchema() {
    }

    private static final Set<String> JUNCTORS = Set.of("allOf", "anyOf", "oneOf", "not");
    private static final Set<String> FORBIDDEN_IN_JUNCTORS = Set.of("type", "description", "default",
            "additionalProperties", "nullable");
    private static final String PRESERVE = "x-kubernetes-preserve-unknown-fields";
    private static final String INT_OR_STRING = "x-kubernetes-int-or-string";
    private static final String VALIDATIONS = "x-kubernetes-validations";

    /**
     * The only CEL this checker evaluates (it has no CEL engine): a disjunction of {@code has()}
     * on fields of {@code self}, e.g. {@code has(self.pods) || has(self.namespaces)}. A rule of
     * another form is a violation of {@link #fullyTypedViolations}, so it cannot go unchecked.
     */
    private static final Pattern CEL_HAS_ANY = Pattern.compile(
            "\\s*has\\(self\\.([A-Za-z_][A-Za-z0-9_]*)\\)\\s*(\\|\\|\\s*has\\(self\\.([A-Za-z_][A-Za-z0-9_]*)\\)\\s*)*");
    private static final Pattern CEL_HAS = Pattern.compile("has\\(self\\.([A-Za-z_][A-Za-z0-9_]*)\\)");

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

    /**
     * Stricter than structural, for a schema that must refuse every unknown field: no
     * x-kubernetes-preserve-unknown-fields at all; every node has a type (or is int-or-string);
     * every object below the root other than metadata declares its fields (properties or
     * additionalProperties), so none silently drops all of them; every CEL rule is one this
     * checker evaluates.
     */
    static List<String> fullyTypedViolations(JsonNode schema) {
        List<String> out = new ArrayList<>();
        fullyTyped(schema, "", out);
        return out;
    }

    private static void fullyTyped(JsonNode s, String path, List<String> out) {
        String at = path.isEmpty() ? "<root>" : path;
        if (s.has(PRESERVE)) {
            out.add(at + ": " + PRESERVE + " keeps unknown fields");
        }
        boolean intOrString = s.path(INT_OR_STRING).asBoolean(false);
        if (!s.has("type") && !intOrString) {
            out.add(at + ": no type");
        }
        if ("object".equals(s.path("type").asText()) && !path.isEmpty() && !path.equals(".metadata")
                && !s.has("properties") && !s.path("additionalProperties").isObject()) {
            out.add(at + ": an object that declares no fields (the API server would drop all of them)");
        }
        for (JsonNode v : s.path(VALIDATIONS)) {
            if (!CEL_HAS_ANY.matcher(v.path("rule").asText()).matches()) {
                out.add(at + ": CEL rule this checker cannot evaluate: " + v.path("rule").asText());
            }
            if (!v.hasNonNull("message")) {
                out.add(at + ": CEL rule without a message: " + v.path("rule").asText());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            fullyTyped(e.getValue(), path + "." + e.getKey(), out);
        }
        if (s.path("additionalProperties").isObject()) {
            fullyTyped(s.path("additionalProperties"), path + ".*", out);
        }
        if (s.path("items").isObject()) {
            fullyTyped(s.path("items"), path + "[]", out);
        }
        for (String j : JUNCTORS) {
            if (s.has(j)) {
                out.add(at + ": " + j + " (not expected in this schema)");
            }
        }
    }

    private static void walk(JsonNode s, String path, List<String> out, boolean inJunctor) {
        boolean typed = s.has("type") || s.path(PRESERVE).asBoolean(false) || s.path(INT_OR_STRING).asBoolean(false);
        if (!inJunctor && !typed) {
            out.add(path + ": a type is required (or " + PRESERVE + " / " + INT_OR_STRING + ")");
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
        if (s.path(INT_OR_STRING).asBoolean(false)) {
            if (v.isIntegralNumber()) {
                checkNumber(s, v, at, out);
            } else if (v.isTextual()) {
                checkString(s, v, at, out);
            } else {
                out.add(at + ": must be an integer or a string");
            }
            return;
        }
        String type = s.path("type").asText("");
        boolean preserve = s.path(PRESERVE).asBoolean(false);
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
                } else {
                    checkString(s, v, at, out);
                }
            }
            case "integer" -> {
                if (!v.isIntegralNumber()) {
                    out.add(at + ": must be an integer");
                } else {
                    checkNumber(s, v, at, out);
                }
            }
            case "number" -> {
                if (!v.isNumber()) {
                    out.add(at + ": must be a number");
                } else {
                    checkNumber(s, v, at, out);
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

    private static void checkString(JsonNode s, JsonNode v, String at, List<String> out) {
        String text = v.asText();
        if (s.has("enum") && !contains(s.path("enum"), v)) {
            out.add(at + ": " + text + " is not one of " + s.path("enum"));
        }
        int length = text.codePointCount(0, text.length());
        if (s.has("maxLength") && length > s.path("maxLength").asInt()) {
            out.add(at + ": " + text + " is longer than " + s.path("maxLength").asInt() + " characters");
        }
        if (s.has("minLength") && length < s.path("minLength").asInt()) {
            out.add(at + ": " + text + " is shorter than " + s.path("minLength").asInt() + " characters");
        }
        // Go's regexp (RE2) finds the pattern anywhere in the value, as Matcher.find does.
        if (s.has("pattern") && !Pattern.compile(s.path("pattern").asText()).matcher(text).find()) {
            out.add(at + ": " + text + " does not match " + s.path("pattern").asText());
        }
    }

    private static void checkNumber(JsonNode s, JsonNode v, String at, List<String> out) {
        if (s.has("enum") && !contains(s.path("enum"), v)) {
            out.add(at + ": " + v.asText() + " is not one of " + s.path("enum"));
        }
        if (s.has("minimum") && v.decimalValue().compareTo(s.path("minimum").decimalValue()) < 0) {
            out.add(at + ": " + v.asText() + " is less than the minimum " + s.path("minimum").asText());
        }
        if (s.has("maximum") && v.decimalValue().compareTo(s.path("maximum").decimalValue()) > 0) {
            out.add(at + ": " + v.asText() + " is greater than the maximum " + s.path("maximum").asText());
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
                out.add(child + ": unknown field (refused under fieldValidation=Strict, pruned under Warn)");
            }
        }
        // CEL sees the object after pruning: a misspelt field is not there for has().
        for (JsonNode rule : s.path(VALIDATIONS)) {
            Matcher has = CEL_HAS.matcher(rule.path("rule").asText());
            boolean any = false;
            while (has.find()) {
                String field = has.group(1);
                any |= v.has(field) && !v.get(field).isNull() && (preserve || s.path("properties").has(field));
            }
            if (!any) {
                out.add(at + ": " + rule.path("message").asText(rule.path("rule").asText()));
            }
        }
    }

    /**
     * What the API server keeps of {@code value} (apiextensions pruning, which also runs on what it
     * reads from etcd): unknown fields dropped; a value whose type does not match is walked on
     * as the schema's children allow, so an array under an object schema has its elements walked
     * with no schema, and loses every field of every element. The root's metadata is kept as is.
     */
    static JsonNode prune(JsonNode schema, JsonNode value) {
        JsonNode copy = value.deepCopy();
        pruneInPlace(copy, schema, true);
        return copy;
    }

    private static void pruneInPlace(JsonNode v, JsonNode s, boolean root) {
        if (s != null && s.path(PRESERVE).asBoolean(false)) {
            return;
        }
        if (v instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (root && name.equals("metadata")) {
                    continue;
                }
                JsonNode child = null;
                if (s != null && s.path("properties").has(name)) {
                    child = s.path("properties").get(name);
                } else if (s != null && s.path("additionalProperties").isObject()) {
                    child = s.get("additionalProperties");
                } else {
                    o.remove(name);
                    continue;
                }
                pruneInPlace(o.get(name), child, false);
            }
        } else if (v instanceof ArrayNode a) {
            JsonNode items = s == null || !s.path("items").isObject() ? null : s.get("items");
            a.forEach(e -> pruneInPlace(e, items, false));
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
