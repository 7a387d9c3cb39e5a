package dev.stockade.deploy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Jackson set up to refuse anything the Kubernetes API server would not take as written.
 *
 * <p>Why a modifier: fabric8 and Strimzi model classes keep unknown fields in an
 * {@code additionalProperties} map through {@code @JsonAnySetter}, so FAIL_ON_UNKNOWN_PROPERTIES
 * alone would never fire. Removing the any-setter from every bean deserializer makes a misspelt
 * or misplaced field an error that names the field and its path.
 */
final class StrictYaml {
    private StrictYaml() {
    }

    /** Reads YAML (or JSON: YAML is a superset) into trees; duplicate keys fail. */
    static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /** Binds trees to model classes strictly. */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addModule(new SimpleModule("no-any-setter").setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription desc,
                        BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    return builder;
                }
            }))
            .build();

    /** Every document of a multi-document YAML file, in order; empty documents are skipped. */
    static List<JsonNode> documents(Path file) {
        try {
            return documents(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static List<JsonNode> documents(String text) {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode node = (JsonNode) it.nextValue();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    docs.add(node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** Binds a tree to a class, failing on any field the class does not declare. */
    static <T> T bind(JsonNode node, Class<T> type) {
        try {
            return STRICT.treeToValue(node, type);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
