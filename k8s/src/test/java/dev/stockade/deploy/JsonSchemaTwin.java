package dev.stockade.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CRD's openAPIV3Schema as a plain JSON Schema (draft 4, which OpenAPI v3 schemas follow), so
 * that a real JSON Schema implementation (networknt) checks what {@link StructuralSchema} checks
 * by hand: an object without additionalProperties refuses unknown fields (the API server under
 * fieldValidation=Strict; the root's metadata stays open, the API server checks it as
 * ObjectMeta); {@code x-kubernetes-int-or-string} is {@code type: [integer, string]} (as the API
 * server validates it); a CEL rule {@code has(self.a) || has(self.b)} is
 * {@code anyOf: [{required: [a]}, {required: [b]}]}; other {@code x-kubernetes-*} keys go.
 */
final class JsonSchemaTwin {
    private static final Pattern CEL_HAS = Pattern.compile("has\\(self\\.([A-Za-z_][A-Za-z0-9_]*)\\)");

    private final JsonSchema schema;

    JsonSchemaTwin(JsonNode openApiV3Schema) {
        this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(translate(openApiV3Schema, ""));
    }

    /** The messages of the JSON Schema implementation, sorted; each starts with the instance path ({@code $.spec...}). */
    List<String> validate(JsonNode value) {
        return schema.validate(value).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    static ObjectNode translate(JsonNode k8s, String path) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = k8s.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "properties" -> {
                    ObjectNode props = out.putObject("properties");
                    e.getValue().fields().forEachRemaining(p ->
                            props.set(p.getKey(), translate(p.getValue(), path + "." + p.getKey())));
                }
                case "additionalProperties" -> out.set("additionalProperties", e.getValue().isObject()
                        ? translate(e.getValue(), path + ".*") : e.getValue());
                case "items" -> out.set("items", translate(e.getValue(), path + "[]"));
                case "x-kubernetes-int-or-string" -> {
                    if (e.getValue().asBoolean()) {
                        out.putArray("type").add("integer").add("string");
                    }
                }
                case "x-kubernetes-validations" -> {
                    ArrayNode allOf = out.putArray("allOf");
                    for (JsonNode rule : e.getValue()) {
                        ArrayNode anyOf = allOf.addObject().putArray("anyOf");
                        Matcher has = CEL_HAS.matcher(rule.path("rule").asText());
                        while (has.find()) {
                            anyOf.addObject().putArray("required").add(has.group(1));
                        }
                    }
                }
                case "description" -> {
                }
                default -> {
                    if (!e.getKey().startsWith("x-kubernetes-")) {
                        out.set(e.getKey(), e.getValue());
                    }
                }
            }
        }
        if ("object".equals(k8s.path("type").asText()) && !k8s.has("additionalProperties") && !path.equals(".metadata")
                && !k8s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            out.put("additionalProperties", false);
        }
        return out;
    }
}
