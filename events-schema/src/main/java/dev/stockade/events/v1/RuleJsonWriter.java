package dev.stockade.events.v1;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.GroupPatch;
import dev.stockade.core.compiled.LocalPod;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.MemberPatch;
import dev.stockade.core.compiled.NamedPort;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.policy.IpBlock;
import dev.stockade.core.policy.PortMatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;

/**
 * Writes a core {@link NodeDelta} or {@link NodeRuleSet} straight to the JSON of its wire record,
 * the bytes {@code WireJson.encode(RuleDeltaCodec.toWire(...))} gives (same fields, same order,
 * same nulls, {@code localPods} left out when empty, tier, priority and actions only for
 * ClusterNetworkPolicies), without building the wire records and binding
 * them field by field. Deltas are the compiler's largest output, 1.5 per pod event; the equality is
 * checked in {@code RuleJsonWriterTest}.
 */
public final class RuleJsonWriter {

    private static final JsonFactory JSON = WireJson.mapper().getFactory();

    // Field names as pre-encoded strings: written as bytes, not re-escaped character by character.
    private static final SerializedString ACTION = new SerializedString("action");
    private static final SerializedString ADDED = new SerializedString("added");
    private static final SerializedString ADDRESS_GROUPS = new SerializedString("addressGroups");
    private static final SerializedString ANY_PEER = new SerializedString("anyPeer");
    private static final SerializedString APPLIED_TO_GROUP = new SerializedString("appliedToGroup");
    private static final SerializedString APPLIED_TO_GROUPS = new SerializedString("appliedToGroups");
    private static final SerializedString CIDR = new SerializedString("cidr");
    private static final SerializedString DIRECTION = new SerializedString("direction");
    private static final SerializedString END_PORT = new SerializedString("endPort");
    private static final SerializedString EXCEPT = new SerializedString("except");
    private static final SerializedString GENERATION = new SerializedString("generation");
    private static final SerializedString GROUP = new SerializedString("group");
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString INDEX = new SerializedString("index");
    private static final SerializedString IP_BLOCKS = new SerializedString("ipBlocks");
    private static final SerializedString IPS = new SerializedString("ips");
    private static final SerializedString ISOLATES = new SerializedString("isolates");
    private static final SerializedString KIND = new SerializedString("kind");
    private static final SerializedString LOCAL_PODS = new SerializedString("localPods");
    private static final SerializedString MEMBERS = new SerializedString("members");
    private static final SerializedString NAME = new SerializedString("name");
    private static final SerializedString NAMED_PORTS = new SerializedString("namedPorts");
    private static final SerializedString NAMESPACE = new SerializedString("namespace");
    private static final SerializedString NODE = new SerializedString("node");
    private static final SerializedString PATCHED = new SerializedString("patched");
    private static final SerializedString POD = new SerializedString("pod");
    private static final SerializedString POLICIES = new SerializedString("policies");
    private static final SerializedString PORT = new SerializedString("port");
    private static final SerializedString PORTS = new SerializedString("ports");
    private static final SerializedString PRIORITY = new SerializedString("priority");
    private static final SerializedString PROTOCOL = new SerializedString("protocol");
    private static final SerializedString REMOVED = new SerializedString("removed");
    private static final SerializedString RULES = new SerializedString("rules");
    private static final SerializedString SCHEMA_VERSION = new SerializedString("schemaVersion");
    private static final SerializedString SELECTION = new SerializedString("selection");
    private static final SerializedString SOURCE_OFFSET = new SerializedString("sourceOffset");
    private static final SerializedString TIER = new SerializedString("tier");

    private RuleJsonWriter() {
    }

    /** The {@link RuleDeltaRecord} of {@code delta}; {@code sourceOffset}: the last resources record it covers. */
    public static byte[] delta(NodeDelta delta, long sourceOffset) {
        return write(json -> {
            json.writeStartObject();
            number(json, SCHEMA_VERSION, RuleDeltaRecord.VERSION);
            text(json, NODE, delta.node());
            number(json, GENERATION, delta.generation());
            number(json, SOURCE_OFFSET, sourceOffset);
            startObject(json, POLICIES);
            array(json, ADDED, delta.policies().added(), RuleJsonWriter::policy);
            array(json, REMOVED, delta.policies().removed(), JsonGenerator::writeString);
            json.writeEndObject();
            groupPatch(json, APPLIED_TO_GROUPS, delta.appliedToGroups());
            groupPatch(json, ADDRESS_GROUPS, delta.addressGroups());
            if (!delta.localPods().isEmpty()) {
                startObject(json, LOCAL_PODS);
                array(json, ADDED, delta.localPods().added(), RuleJsonWriter::localPod);
                array(json, REMOVED, delta.localPods().removed(), JsonGenerator::writeString);
                json.writeEndObject();
            }
            json.writeEndObject();
        });
    }

    /** The {@link RuleSetRecord} of {@code ruleSet} at {@code generation}. */
    public static byte[] ruleSet(NodeRuleSet ruleSet, long generation) {
        return write(json -> {
            json.writeStartObject();
            number(json, SCHEMA_VERSION, RuleSetRecord.VERSION);
            text(json, NODE, ruleSet.node());
            number(json, GENERATION, generation);
            array(json, POLICIES, ruleSet.policies().values(), RuleJsonWriter::policy);
            array(json, APPLIED_TO_GROUPS, ruleSet.appliedToGroups().values(), RuleJsonWriter::group);
            array(json, ADDRESS_GROUPS, ruleSet.addressGroups().values(), RuleJsonWriter::group);
            if (!ruleSet.localPods().isEmpty()) {
                array(json, LOCAL_PODS, ruleSet.localPods().values(), RuleJsonWriter::localPod);
            }
            json.writeEndObject();
        });
    }

    private interface Body {
        void writeTo(JsonGenerator json) throws IOException;
    }

    /** Writes one value of a JSON array. */
    private interface Element<T> {
        void write(JsonGenerator json, T value) throws IOException;
    }

    private static byte[] write(Body body) {
        // As ObjectMapper.writeValueAsBytes: the builder's first block comes from Jackson's recycler
        // and goes back, and so does the recycler to its pool.
        BufferRecycler recycler = JSON._getBufferRecycler();
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(recycler)) {
            try (JsonGenerator json = JSON.createGenerator(bytes)) {
                body.writeTo(json);
            }
            byte[] written = bytes.toByteArray();
            bytes.release();
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode rules JSON", e);
        } finally {
            recycler.releaseToPool();
        }
    }

    private static void policy(JsonGenerator json, CompiledPolicy policy) throws IOException {
        json.writeStartObject();
        text(json, ID, policy.id());
        text(json, KIND, policy.ref().kind().name());
        text(json, NAMESPACE, policy.ref().namespace());
        text(json, NAME, policy.ref().name());
        text(json, APPLIED_TO_GROUP, policy.appliedToGroup());
        array(json, ISOLATES, policy.isolates(), (out, direction) -> out.writeString(direction.name()));
        boolean tiered = policy.clusterWide();
        array(json, RULES, policy.rules(), (out, rule) -> rule(out, rule, tiered));
        if (tiered) {
            text(json, TIER, policy.tier().name());
            number(json, PRIORITY, policy.priority());
        }
        json.writeEndObject();
    }

    /** As {@code RuleDeltaCodec}: the action only in a ClusterNetworkPolicy ({@code tiered}). */
    private static void rule(JsonGenerator json, CompiledRule rule, boolean tiered) throws IOException {
        json.writeStartObject();
        text(json, DIRECTION, rule.direction().name());
        number(json, INDEX, rule.index());
        bool(json, ANY_PEER, rule.anyPeer());
        array(json, ADDRESS_GROUPS, rule.addressGroups(), JsonGenerator::writeString);
        array(json, IP_BLOCKS, rule.ipBlocks(), RuleJsonWriter::ipBlock);
        array(json, PORTS, rule.ports(), RuleJsonWriter::port);
        if (tiered) {
            text(json, ACTION, rule.action().name());
        }
        json.writeEndObject();
    }

    private static void ipBlock(JsonGenerator json, IpBlock block) throws IOException {
        json.writeStartObject();
        text(json, CIDR, block.cidr().toString());
        array(json, EXCEPT, block.except(), (out, except) -> out.writeString(except.toString()));
        json.writeEndObject();
    }

    /** As {@code RuleDeltaCodec}: a named port; or a range, null bounds meaning every port or a single one. */
    private static void port(JsonGenerator json, PortMatch port) throws IOException {
        json.writeStartObject();
        text(json, PROTOCOL, port.protocol().name());
        if (port.isNamed()) {
            nullableNumber(json, PORT, null);
            nullableNumber(json, END_PORT, null);
            text(json, NAME, port.name());
        } else {
            boolean all = port.from() == PortMatch.MIN_PORT && port.to() == PortMatch.MAX_PORT;
            nullableNumber(json, PORT, all ? null : port.from());
            nullableNumber(json, END_PORT, all || port.to() == port.from() ? null : port.to());
            text(json, NAME, null);
        }
        json.writeEndObject();
    }

    private static void groupPatch(JsonGenerator json, SerializableString field, GroupPatch patch) throws IOException {
        startObject(json, field);
        array(json, ADDED, patch.added(), RuleJsonWriter::group);
        array(json, REMOVED, patch.removed(), JsonGenerator::writeString);
        array(json, PATCHED, patch.patched(), RuleJsonWriter::memberPatch);
        json.writeEndObject();
    }

    private static void memberPatch(JsonGenerator json, MemberPatch patch) throws IOException {
        json.writeStartObject();
        text(json, GROUP, patch.group());
        array(json, ADDED, patch.added(), RuleJsonWriter::member);
        array(json, REMOVED, patch.removed(), JsonGenerator::writeString);
        json.writeEndObject();
    }

    private static void group(JsonGenerator json, MemberGroup group) throws IOException {
        json.writeStartObject();
        text(json, ID, group.id());
        text(json, SELECTION, group.selection());
        array(json, MEMBERS, group.members().values(), RuleJsonWriter::member);
        json.writeEndObject();
    }

    private static void member(JsonGenerator json, GroupMember member) throws IOException {
        json.writeStartObject();
        text(json, POD, member.pod());
        text(json, NODE, member.node());
        array(json, IPS, member.ips(), JsonGenerator::writeString);
        array(json, NAMED_PORTS, member.namedPorts(), RuleJsonWriter::namedPort);
        json.writeEndObject();
    }

    private static void localPod(JsonGenerator json, LocalPod pod) throws IOException {
        json.writeStartObject();
        text(json, POD, pod.pod());
        array(json, IPS, pod.ips(), JsonGenerator::writeString);
        json.writeEndObject();
    }

    private static void namedPort(JsonGenerator json, NamedPort port) throws IOException {
        json.writeStartObject();
        text(json, NAME, port.name());
        text(json, PROTOCOL, port.protocol().name());
        number(json, PORT, port.port());
        json.writeEndObject();
    }

    private static <T> void array(JsonGenerator json, SerializableString field, Collection<T> values, Element<T> element)
            throws IOException {
        json.writeFieldName(field);
        json.writeStartArray();
        for (T value : values) {
            element.write(json, value);
        }
        json.writeEndArray();
    }

    private static void nullableNumber(JsonGenerator json, SerializableString field, Integer value) throws IOException {
        json.writeFieldName(field);
        if (value == null) {
            json.writeNull();
        } else {
            json.writeNumber(value);
        }
    }

    private static void text(JsonGenerator json, SerializableString field, String value) throws IOException {
        json.writeFieldName(field);
        json.writeString(value);
    }

    private static void number(JsonGenerator json, SerializableString field, long value) throws IOException {
        json.writeFieldName(field);
        json.writeNumber(value);
    }

    private static void bool(JsonGenerator json, SerializableString field, boolean value) throws IOException {
        json.writeFieldName(field);
        json.writeBoolean(value);
    }

    private static void startObject(JsonGenerator json, SerializableString field) throws IOException {
        json.writeFieldName(field);
        json.writeStartObject();
    }
}
