package dev.stockade.kube;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.Iterator;
import java.util.Map;

/**
 * Binds a Kubernetes object to fabric8's model the way the API server's strict field validation
 * decodes it ({@code kubectl apply --validate=strict}, kubectl's default): an unknown field is an
 * error, and so is a scalar of the wrong type — a YAML {@code on}, {@code yes} or {@code 1} where
 * the API wants a string (an annotation, a label value) is a boolean or a number, not the text
 * {@code "on"}. Without this, {@code podSelecter:} or {@code port:} for {@code ports:} would be
 * dropped silently and the policy would select every pod or allow every port.
 *
 * <p>fabric8's model classes keep unknown fields in an {@code additionalProperties} map (a
 * {@code @JsonAnySetter}); this binding turns that off so Jackson names the field instead.
 */
final class StrictBinding {

    /** Why an object does not bind: the field path ({@code spec.ingress[0].port}) and the reason. */
    static final class Refused extends Exception {

        private final String field;

        Refused(String field, String reason) {
            super(reason);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    private final ObjectMapper mapper = JsonMapper.builder()
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated member) {
                    return Boolean.FALSE;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .withCoercionConfig(LogicalType.Textual, strings -> strings
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, numbers -> numbers
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, booleans -> booleans
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
            .build();

    /** The object as {@code type}, or the first field that the API server would refuse. */
    <T> T bind(JsonNode object, Class<T> type) throws Refused {
        String nullElement = nullElement(object, "");
        if (nullElement != null) {
            throw new Refused(nullElement, "a list element may not be null");
        }
        try {
            return mapper.treeToValue(object, type);
        } catch (UnrecognizedPropertyException e) {
            throw new Refused(path(e), "unknown field (strict decoding, as the API server's field validation)");
        } catch (InvalidFormatException e) {
            throw new Refused(path(e), "must be " + expected(e.getTargetType()) + ", not " + shape(e.getValue()));
        } catch (MismatchedInputException e) {
            throw new Refused(path(e), "must be " + expected(e.getTargetType()) + " (" + e.getOriginalMessage() + ")");
        } catch (JsonMappingException e) {
            throw new Refused(path(e), e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new Refused("", e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Refused("", e.getOriginalMessage());
        }
    }

    /**
     * The path of the first null element of a list in the tree, or null when there is none. Bound,
     * a null element would reach the converters as a null peer, port or rule.
     */
    private static String nullElement(JsonNode node, String at) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String element = at + "[" + i + "]";
                String found = node.get(i).isNull() ? element : nullElement(node.get(i), element);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String found = nullElement(field.getValue(), at.isEmpty() ? field.getKey() : at + "." + field.getKey());
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The reference chain as a Kubernetes field path; map keys in brackets. */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() == null) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFrom() instanceof Map<?, ?>) {
                path.append('[').append(reference.getFieldName()).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class) {
            return "a string (quote it: YAML reads on, off, yes, no, true, false and numbers as other types)";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "a " + type.getSimpleName();
    }

    private static String shape(Object value) {
        if (value instanceof Boolean) {
            return "the boolean " + value;
        }
        if (value instanceof Number) {
            return "the number " + value;
        }
        return value == null ? "null" : "'" + value + "'";
    }
}
