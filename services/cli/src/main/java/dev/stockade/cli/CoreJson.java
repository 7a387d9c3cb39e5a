package dev.stockade.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.stockade.core.policy.Cidr;
import dev.stockade.core.policy.IpBlock;
import dev.stockade.core.policy.PortMatch;
import java.io.IOException;

/**
 * Jackson mappers for the core's records as people read them: CIDRs as text, ipBlocks as
 * {@code {cidr, except}}, ports as {@code {protocol, port, endPort}} or {@code {protocol, name}}.
 * Output is deterministic: the core's maps are sorted and lists ordered.
 */
final class CoreJson {

    private CoreJson() {
    }

    static ObjectMapper json() {
        return JsonMapper.builder().addModule(module()).enable(SerializationFeature.INDENT_OUTPUT).build();
    }

    /**
     * Writes {@code value} to {@code out} as it is serialized (a 100,000-pod cluster's rule sets are
     * hundreds of MB: never one string), leaving {@code out} open; what {@code writeValueAsString}
     * would give, byte for byte.
     */
    static void write(ObjectMapper mapper, Object value, java.io.Writer out) throws IOException {
        mapper.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, value);
    }

    static ObjectMapper compactJson() {
        return JsonMapper.builder().addModule(module()).build();
    }

    static ObjectMapper yaml() {
        YAMLMapper mapper = new YAMLMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
        mapper.registerModule(module());
        return mapper;
    }

    /** {@code isEmpty()} of the core's records is a question, not a property. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties({"empty"})
    private abstract static class WithoutEmpty {
    }

    private static SimpleModule module() {
        SimpleModule module = new SimpleModule("stockade-core");
        for (Class<?> type : java.util.List.of(dev.stockade.core.compiled.NodeRuleSet.class,
                dev.stockade.core.compiled.NodeDelta.class, dev.stockade.core.compiled.GroupPatch.class,
                dev.stockade.core.compiled.PolicyPatch.class)) {
            module.setMixInAnnotation(type, WithoutEmpty.class);
        }
        module.addSerializer(Cidr.class, new JsonSerializer<>() {
            @Override
            public void serialize(Cidr cidr, JsonGenerator out, SerializerProvider provider) throws IOException {
                out.writeString(cidr.toString());
            }
        });
        module.addSerializer(IpBlock.class, new JsonSerializer<>() {
            @Override
            public void serialize(IpBlock block, JsonGenerator out, SerializerProvider provider) throws IOException {
                out.writeStartObject();
                out.writeStringField("cidr", block.cidr().toString());
                if (!block.except().isEmpty()) {
                    out.writeArrayFieldStart("except");
                    for (Cidr hole : block.except()) {
                        out.writeString(hole.toString());
                    }
                    out.writeEndArray();
                }
                out.writeEndObject();
            }
        });
        module.addSerializer(PortMatch.class, new JsonSerializer<>() {
            @Override
            public void serialize(PortMatch port, JsonGenerator out, SerializerProvider provider) throws IOException {
                out.writeStartObject();
                out.writeStringField("protocol", port.protocol().name());
                if (port.isNamed()) {
                    out.writeStringField("name", port.name());
                } else if (port.from() != PortMatch.MIN_PORT || port.to() != PortMatch.MAX_PORT) {
                    out.writeNumberField("port", port.from());
                    if (port.to() != port.from()) {
                        out.writeNumberField("endPort", port.to());
                    }
                }
                out.writeEndObject();
            }
        });
        return module;
    }
}
