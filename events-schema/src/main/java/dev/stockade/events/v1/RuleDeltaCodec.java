package dev.stockade.events.v1;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.LocalPod;
import dev.stockade.core.compiled.LocalPodPatch;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.NamedPort;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.compiled.PolicyTier;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.policy.Cidr;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.IpBlock;
import dev.stockade.core.policy.PolicyKind;
import dev.stockade.core.policy.PolicyRef;
import dev.stockade.core.policy.PortMatch;
import dev.stockade.core.policy.RuleAction;
import java.util.List;
import java.util.TreeMap;

/**
 * Core {@link NodeDelta}s and {@link NodeRuleSet}s to their wire records and back, losslessly. No
 * local-pod change (or none listed) is written as an absent {@code localPods}, and absent reads back
 * as that.
 */
public final class RuleDeltaCodec {

    private RuleDeltaCodec() {
    }

    public static RuleDeltaRecord toWire(NodeDelta delta, long sourceOffset) {
        return new RuleDeltaRecord(RuleDeltaRecord.VERSION, delta.node(), delta.generation(), sourceOffset,
                new RuleDeltaRecord.PolicyPatch(delta.policies().added().stream().map(RuleDeltaCodec::policy).toList(),
                        delta.policies().removed()),
                groups(delta.appliedToGroups()), groups(delta.addressGroups()), localPods(delta.localPods()));
    }

    /** Throws WireFormatException when a value does not parse (a CIDR, a protocol, a direction). */
    public static NodeDelta fromWire(RuleDeltaRecord record) throws WireFormatException {
        try {
            return new NodeDelta(record.node(), record.generation(),
                    new dev.stockade.core.compiled.PolicyPatch(
                            record.policies().added().stream().map(RuleDeltaCodec::policy).toList(),
                            record.policies().removed()),
                    groups(record.appliedToGroups()), groups(record.addressGroups()), localPods(record.localPods()));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WireFormatException("rule delta for node " + record.node() + " generation " + record.generation()
                    + " does not decode: " + e.getMessage(), e);
        }
    }

    /** A node's whole rule set at a generation, as a snapshot record. */
    public static RuleSetRecord toWire(NodeRuleSet ruleSet, long generation) {
        return new RuleSetRecord(RuleSetRecord.VERSION, ruleSet.node(), generation,
                ruleSet.policies().values().stream().map(RuleDeltaCodec::policy).toList(),
                ruleSet.appliedToGroups().values().stream().map(RuleDeltaCodec::group).toList(),
                ruleSet.addressGroups().values().stream().map(RuleDeltaCodec::group).toList(),
                ruleSet.localPods().isEmpty() ? null
                        : ruleSet.localPods().values().stream().map(RuleDeltaCodec::localPod).toList());
    }

    /** Throws WireFormatException when a value does not parse. */
    public static NodeRuleSet fromWire(RuleSetRecord record) throws WireFormatException {
        try {
            TreeMap<String, CompiledPolicy> policies = new TreeMap<>();
            record.policies().forEach(policy -> policies.put(policy.id(), policy(policy)));
            TreeMap<String, MemberGroup> appliedTo = new TreeMap<>();
            record.appliedToGroups().forEach(group -> appliedTo.put(group.id(), group(group)));
            TreeMap<String, MemberGroup> addresses = new TreeMap<>();
            record.addressGroups().forEach(group -> addresses.put(group.id(), group(group)));
            TreeMap<String, LocalPod> localPods = new TreeMap<>();
            if (record.localPods() != null) {
                record.localPods().forEach(pod -> localPods.put(pod.pod(), localPod(pod)));
            }
            return new NodeRuleSet(record.node(), policies, appliedTo, addresses, localPods);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WireFormatException("rule set of node " + record.node() + " does not decode: " + e.getMessage(), e);
        }
    }

    /** Tier, priority and rule actions only for a ClusterNetworkPolicy (see {@link RuleDeltaRecord.Policy}). */
    private static RuleDeltaRecord.Policy policy(CompiledPolicy policy) {
        boolean tiered = policy.clusterWide();
        return new RuleDeltaRecord.Policy(policy.id(), policy.ref().kind().name(), policy.ref().namespace(),
                policy.ref().name(), policy.appliedToGroup(), policy.isolates().stream().map(Enum::name).toList(),
                policy.rules().stream().map(rule -> rule(rule, tiered)).toList(),
                tiered ? policy.tier().name() : null, tiered ? policy.priority() : null);
    }

    /** Absent tier: the NetworkPolicy tier, priority 0; absent action: an allow. The core checks they fit the kind. */
    private static CompiledPolicy policy(RuleDeltaRecord.Policy policy) {
        return new CompiledPolicy(policy.id(), new PolicyRef(PolicyKind.valueOf(policy.kind()), policy.namespace(),
                policy.name()), policy.appliedToGroup(), policy.isolates().stream().map(Direction::valueOf).toList(),
                policy.rules().stream().map(RuleDeltaCodec::rule).toList(),
                policy.tier() == null ? PolicyTier.NETWORK_POLICY : PolicyTier.valueOf(policy.tier()),
                policy.priority() == null ? 0 : policy.priority());
    }

    private static RuleDeltaRecord.Rule rule(CompiledRule rule, boolean tiered) {
        return new RuleDeltaRecord.Rule(rule.direction().name(), rule.index(), rule.anyPeer(), rule.addressGroups(),
                rule.ipBlocks().stream().map(block -> new RuleDeltaRecord.IpBlock(block.cidr().toString(),
                        block.except().stream().map(Cidr::toString).toList())).toList(),
                rule.ports().stream().map(RuleDeltaCodec::port).toList(), tiered ? rule.action().name() : null);
    }

    private static CompiledRule rule(RuleDeltaRecord.Rule rule) {
        return new CompiledRule(Direction.valueOf(rule.direction()), rule.index(),
                rule.action() == null ? RuleAction.ACCEPT : RuleAction.valueOf(rule.action()), rule.anyPeer(),
                rule.addressGroups(), rule.ipBlocks().stream().map(block -> new IpBlock(cidr(block.cidr()),
                        block.except().stream().map(RuleDeltaCodec::cidr).toList())).toList(),
                rule.ports().stream().map(RuleDeltaCodec::port).toList());
    }

    private static Cidr cidr(String text) {
        return Cidr.parse(text).orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a CIDR"));
    }

    private static RuleDeltaRecord.Port port(PortMatch port) {
        if (port.isNamed()) {
            return new RuleDeltaRecord.Port(port.protocol().name(), null, null, port.name());
        }
        boolean all = port.from() == PortMatch.MIN_PORT && port.to() == PortMatch.MAX_PORT;
        return new RuleDeltaRecord.Port(port.protocol().name(), all ? null : port.from(),
                all || port.to() == port.from() ? null : port.to(), null);
    }

    private static PortMatch port(RuleDeltaRecord.Port port) {
        Protocol protocol = Protocol.parse(port.protocol())
                .orElseThrow(() -> new IllegalArgumentException("unknown protocol " + port.protocol()));
        if (port.name() != null) {
            return PortMatch.named(protocol, port.name());
        }
        if (port.port() == null) {
            return PortMatch.allOf(protocol);
        }
        return PortMatch.range(protocol, port.port(), port.endPort() == null ? port.port() : port.endPort());
    }

    private static RuleDeltaRecord.GroupPatch groups(dev.stockade.core.compiled.GroupPatch patch) {
        return new RuleDeltaRecord.GroupPatch(patch.added().stream().map(RuleDeltaCodec::group).toList(), patch.removed(),
                patch.patched().stream().map(p -> new RuleDeltaRecord.MemberPatch(p.group(),
                        p.added().stream().map(RuleDeltaCodec::member).toList(), p.removed())).toList());
    }

    private static dev.stockade.core.compiled.GroupPatch groups(RuleDeltaRecord.GroupPatch patch) {
        return new dev.stockade.core.compiled.GroupPatch(patch.added().stream().map(RuleDeltaCodec::group).toList(),
                patch.removed(), patch.patched().stream().map(p -> new dev.stockade.core.compiled.MemberPatch(p.group(),
                        p.added().stream().map(RuleDeltaCodec::member).toList(), p.removed())).toList());
    }

    private static RuleDeltaRecord.Group group(MemberGroup group) {
        return new RuleDeltaRecord.Group(group.id(), group.selection(),
                group.members().values().stream().map(RuleDeltaCodec::member).toList());
    }

    private static MemberGroup group(RuleDeltaRecord.Group group) {
        TreeMap<String, GroupMember> members = new TreeMap<>();
        group.members().forEach(member -> members.put(member.pod(), member(member)));
        return new MemberGroup(group.id(), group.selection(), members);
    }

    private static RuleDeltaRecord.LocalPodPatch localPods(LocalPodPatch patch) {
        return patch.isEmpty() ? null : new RuleDeltaRecord.LocalPodPatch(
                patch.added().stream().map(RuleDeltaCodec::localPod).toList(), patch.removed());
    }

    private static LocalPodPatch localPods(RuleDeltaRecord.LocalPodPatch patch) {
        return patch == null ? LocalPodPatch.EMPTY : new LocalPodPatch(
                patch.added().stream().map(RuleDeltaCodec::localPod).toList(), patch.removed());
    }

    private static RuleDeltaRecord.LocalPod localPod(LocalPod pod) {
        return new RuleDeltaRecord.LocalPod(pod.pod(), pod.ips());
    }

    private static LocalPod localPod(RuleDeltaRecord.LocalPod pod) {
        return new LocalPod(java.util.Objects.requireNonNull(pod.pod(), "local pod without a name"), pod.ips());
    }

    private static RuleDeltaRecord.Member member(GroupMember member) {
        return new RuleDeltaRecord.Member(member.pod(), member.node(), member.ips(), member.namedPorts().stream()
                .map(port -> new RuleDeltaRecord.NamedPort(port.name(), port.protocol().name(), port.port())).toList());
    }

    private static GroupMember member(RuleDeltaRecord.Member member) {
        List<NamedPort> ports = member.namedPorts().stream().map(port -> new NamedPort(port.name(),
                Protocol.parse(port.protocol()).orElseThrow(() -> new IllegalArgumentException(
                        "unknown protocol " + port.protocol())), port.port())).toList();
        return new GroupMember(member.pod(), member.node(), member.ips(), ports);
    }
}
