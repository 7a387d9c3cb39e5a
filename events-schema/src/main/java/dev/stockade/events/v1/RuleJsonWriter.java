package dev.stockade.events.v1;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.GroupPatch;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.MemberPatch;
import dev.stockade.core.compiled.NamedPort;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.policy.Cidr;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.IpBlock;
import dev.stockade.core.policy.PortMatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;

/**
 * Writes a core {@link NodeDelta} or {@link NodeRuleSet} straight to the JSON of its wire record,
 * the bytes {@code WireJson.encode(RuleDeltaCodec.toWire(...))} gives (same fields, same order,
 * same nulls), without building the wire records and binding them field by field. Deltas are the
 * compiler's largest output, 1.5 per pod event; the equality is checked in {@code RuleJsonWriterTest}.
 */
public final class RuleJsonWriter {

    private static final JsonFactory JSON = WireJson.mapper().getFactory();

    private RuleJsonWriter() {
    }

    /** The {@link RuleDeltaRecord} of {@code delta}, caused by the resources record at {@code sourceOffset}. */
    public static byte[] delta(NodeDelta delta, long sourceOffset) {
        return write(json -> {
            json.writeStartObject();
            json.writeNumberField("schemaVersion", RuleDeltaRecord.VERSION);
            json.writeStringField("node", delta.node());
            json.writeNumberField("generation", delta.generation());
            json.writeNumberField("sourceOffset", sourceOffset);
            json.writeObjectFieldStart("policies");
            json.writeArrayFieldStart("added");
            for (CompiledPolicy policy : delta.policies().added()) {
                policy(json, policy);
            }
            json.writeEndArray();
            strings(json, "removed", delta.policies().removed());
            json.writeEndObject();
            groupPatch(json, "appliedToGroups", delta.appliedToGroups());
            groupPatch(json, "addressGroups", delta.addressGroups());
            json.writeEndObject();
        });
    }

    /** The {@link RuleSetRecord} of {@code ruleSet} at {@code generation}. */
    public static byte[] ruleSet(NodeRuleSet ruleSet, long generation) {
        return write(json -> {
            json.writeStartObject();
            json.writeNumberField("schemaVersion", RuleSetRecord.VERSION);
            json.writeStringField("node", ruleSet.node());
            json.writeNumberField("generation", generation);
            json.writeArrayFieldStart("policies");
            for (CompiledPolicy policy : ruleSet.policies().values()) {
                policy(json, policy);
            }
            json.writeEndArray();
            groups(json, "appliedToGroups", ruleSet.appliedToGroups().values());
            groups(json, "addressGroups", ruleSet.addressGroups().values());
            json.writeEndObject();
        });
    }

    private interface Body {
        void writeTo(JsonGenerator json) throws IOException;
    }

    private static byte[] write(Body body) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(JSON._getBufferRecycler(), 2048)) {
            try (JsonGenerator json = JSON.createGenerator(bytes)) {
                body.writeTo(json);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode rules JSON", e);
        }
    }

    private static void policy(JsonGenerator json, CompiledPolicy policy) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", policy.id());
        json.writeStringField("kind", policy.ref().kind().name());
        json.writeStringField("namespace", policy.ref().namespace());
        json.writeStringField("name", policy.ref().name());
        json.writeStringField("appliedToGroup", policy.appliedToGroup());
        json.writeArrayFieldStart("isolates");
        for (Direction direction : policy.isolates()) {
            json.writeString(direction.name());
        }
        json.writeEndArray();
        json.writeArrayFieldStart("rules");
        for (CompiledRule rule : policy.rules()) {
            rule(json, rule);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void rule(JsonGenerator json, CompiledRule rule) throws IOException {
        json.writeStartObject();
        json.writeStringField("direction", rule.direction().name());
        json.writeNumberField("index", rule.index());
        json.writeBooleanField("anyPeer", rule.anyPeer());
        strings(json, "addressGroups", rule.addressGroups());
        json.writeArrayFieldStart("ipBlocks");
        for (IpBlock block : rule.ipBlocks()) {
            json.writeStartObject();
            json.writeStringField("cidr", block.cidr().toString());
            json.writeArrayFieldStart("except");
            for (Cidr except : block.except()) {
                json.writeString(except.toString());
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("ports");
        for (PortMatch port : rule.ports()) {
            port(json, port);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** As {@code RuleDeltaCodec}: a named port; or a range, null bounds meaning every port or a single one. */
    private static void port(JsonGenerator json, PortMatch port) throws IOException {
        json.writeStartObject();
        json.writeStringField("protocol", port.protocol().name());
        if (port.isNamed()) {
            json.writeNullField("port");
            json.writeNullField("endPort");
            json.writeStringField("name", port.name());
        } else {
            boolean all = port.from() == PortMatch.MIN_PORT && port.to() == PortMatch.MAX_PORT;
            nullableNumber(json, "port", all ? null : port.from());
            nullableNumber(json, "endPort", all || port.to() == port.from() ? null : port.to());
            json.writeNullField("name");
        }
        json.writeEndObject();
    }

    private static void groupPatch(JsonGenerator json, String field, GroupPatch patch) throws IOException {
        json.writeObjectFieldStart(field);
        groups(json, "added", patch.added());
        strings(json, "removed", patch.removed());
        json.writeArrayFieldStart("patched");
        for (MemberPatch memberPatch : patch.patched()) {
            json.writeStartObject();
            json.writeStringField("group", memberPatch.group());
            members(json, "added", memberPatch.added());
            strings(json, "removed", memberPatch.removed());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void groups(JsonGenerator json, String field, Collection<MemberGroup> groups) throws IOException {
        json.writeArrayFieldStart(field);
        for (MemberGroup group : groups) {
            json.writeStartObject();
            json.writeStringField("id", group.id());
            json.writeStringField("selection", group.selection());
            members(json, "members", group.members().values());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void members(JsonGenerator json, String field, Collection<GroupMember> members) throws IOException {
        json.writeArrayFieldStart(field);
        for (GroupMember member : members) {
            json.writeStartObject();
            json.writeStringField("pod", member.pod());
            json.writeStringField("node", member.node());
            strings(json, "ips", member.ips());
            json.writeArrayFieldStart("namedPorts");
            for (NamedPort port : member.namedPorts()) {
                json.writeStartObject();
                json.writeStringField("name", port.name());
                json.writeStringField("protocol", port.protocol().name());
                json.writeNumberField("port", port.port());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void strings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static void nullableNumber(JsonGenerator json, String field, Integer value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value);
        }
    }
}
