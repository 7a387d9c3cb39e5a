package dev.stockade.events.v1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.GroupPatch;
import dev.stockade.core.compiled.LocalPod;
import dev.stockade.core.compiled.LocalPodPatch;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.MemberPatch;
import dev.stockade.core.compiled.NamedPort;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.compiled.PolicyPatch;
import dev.stockade.core.compiled.PolicyTier;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.policy.Cidr;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.IpBlock;
import dev.stockade.core.policy.PolicyKind;
import dev.stockade.core.policy.PolicyRef;
import dev.stockade.core.policy.PortMatch;
import dev.stockade.core.policy.RuleAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.ListArbitrary;
import org.junit.jupiter.api.Test;

/**
 * {@link RuleJsonWriter} writes exactly the bytes of the databind path it replaces on the
 * compiler's hot path ({@code WireJson.encode(RuleDeltaCodec.toWire(...))}), for the golden deltas
 * and rule sets and for arbitrary ones: every field, nulls, empty lists, every kind of port, local
 * pods present and left out, ClusterNetworkPolicies (tier, priority, actions) and NetworkPolicies
 * (none of them), and text that needs escaping.
 */
class RuleJsonWriterTest {

    @Test
    void theGoldenDeltaIsWrittenByteForByte() throws Exception {
        byte[] written = RuleJsonWriter.delta(SampleDeltas.everyField(), 42);
        assertEquals(new String(WireFormatTest.golden("rule-delta.json"), StandardCharsets.UTF_8),
                new String(written, StandardCharsets.UTF_8));
    }

    @Test
    void theGoldenDeltaWithLocalPodsIsWrittenByteForByte() throws Exception {
        assertEquals(new String(WireFormatTest.golden("rule-delta-local-pods.json"), StandardCharsets.UTF_8),
                new String(RuleJsonWriter.delta(SampleDeltas.withLocalPods(), 42), StandardCharsets.UTF_8));
    }

    @Test
    void theGoldenDeltaWithClusterNetworkPoliciesIsWrittenByteForByte() throws Exception {
        assertEquals(new String(WireFormatTest.golden("rule-delta-cluster-policy.json"), StandardCharsets.UTF_8),
                new String(RuleJsonWriter.delta(SampleDeltas.withClusterPolicies(), 42), StandardCharsets.UTF_8));
    }

    @Test
    void theGoldenRuleSetsAreWrittenByteForByte() throws Exception {
        assertEquals(new String(WireFormatTest.golden("rule-set-local-pods.json"), StandardCharsets.UTF_8),
                new String(RuleJsonWriter.ruleSet(SampleDeltas.ruleSetWithLocalPods(), 7), StandardCharsets.UTF_8));
        NodeRuleSet withoutLocalPods = RuleDeltaCodec.fromWire(WireJson.decodeRuleSet(WireFormatTest.golden("rule-set.json")));
        assertEquals(new String(WireFormatTest.golden("rule-set.json"), StandardCharsets.UTF_8),
                new String(RuleJsonWriter.ruleSet(withoutLocalPods, 7), StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void aDeltaIsWrittenAsTheDatabindPathWritesItsWireRecord(@ForAll("deltas") NodeDelta delta,
                                                              @ForAll("offsets") long sourceOffset) {
        assertArrayEquals(WireJson.encode(RuleDeltaCodec.toWire(delta, sourceOffset)),
                RuleJsonWriter.delta(delta, sourceOffset));
    }

    @Property(tries = 200)
    void aRuleSetIsWrittenAsTheDatabindPathWritesItsWireRecord(@ForAll("ruleSets") NodeRuleSet ruleSet,
                                                                @ForAll("offsets") long generation) {
        assertArrayEquals(WireJson.encode(RuleDeltaCodec.toWire(ruleSet, generation)),
                RuleJsonWriter.ruleSet(ruleSet, generation));
    }

    @Provide
    Arbitrary<Long> offsets() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE);
    }

    @Provide
    Arbitrary<NodeDelta> deltas() {
        return Combinators.combine(texts(), offsets(), policyPatches(), groupPatches(), groupPatches(), localPodPatches())
                .as(NodeDelta::new);
    }

    @Provide
    Arbitrary<NodeRuleSet> ruleSets() {
        return Combinators.combine(texts(), upTo(policies(), 3), upTo(groups(), 3), upTo(groups(), 3),
                        upTo(localPods(), 3))
                .as((node, policies, appliedTo, addresses, localPods) -> {
                    TreeMap<String, CompiledPolicy> byId = new TreeMap<>();
                    policies.forEach(policy -> byId.put(policy.id(), policy));
                    TreeMap<String, MemberGroup> appliedToById = new TreeMap<>();
                    appliedTo.forEach(group -> appliedToById.put(group.id(), group));
                    TreeMap<String, MemberGroup> addressesById = new TreeMap<>();
                    addresses.forEach(group -> addressesById.put(group.id(), group));
                    TreeMap<String, LocalPod> localPodsByKey = new TreeMap<>();
                    localPods.forEach(pod -> localPodsByKey.put(pod.pod(), pod));
                    return new NodeRuleSet(node, byId, appliedToById, addressesById, localPodsByKey);
                });
    }

    /** Names, including the empty one and characters JSON must escape or that are not ASCII. */
    private static Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().withChars('-', '/', '.').ofMaxLength(20),
                Arbitraries.strings().withChars('"', '\\', '\n', '\t', '\u0001', 'é', '→', '😀', 'a').ofMaxLength(8));
    }

    private static <T> ListArbitrary<T> upTo(Arbitrary<T> elements, int size) {
        return elements.list().ofMaxSize(size);
    }

    private static Arbitrary<PolicyPatch> policyPatches() {
        return Combinators.combine(upTo(policies(), 2), upTo(texts(), 2)).as(PolicyPatch::new);
    }

    private static Arbitrary<GroupPatch> groupPatches() {
        Arbitrary<MemberPatch> memberPatches = Combinators.combine(texts(), upTo(members(), 3), upTo(texts(), 2))
                .as(MemberPatch::new);
        return Combinators.combine(upTo(groups(), 2), upTo(texts(), 2), upTo(memberPatches, 2)).as(GroupPatch::new);
    }

    /** Empty (the field is left out) about a third of the time, else pods joining and leaving. */
    private static Arbitrary<LocalPodPatch> localPodPatches() {
        return Arbitraries.oneOf(Arbitraries.just(LocalPodPatch.EMPTY),
                Combinators.combine(upTo(localPods(), 3), upTo(texts(), 2)).as(LocalPodPatch::new));
    }

    private static Arbitrary<LocalPod> localPods() {
        Arbitrary<String> ips = Arbitraries.of("10.244.1.10", "10.244.2.20", "fd00::a", "192.168.0.1");
        return Combinators.combine(texts(), upTo(ips, 3)).as(LocalPod::new);
    }

    /** NetworkPolicy-tier policies (allow rules) and ClusterNetworkPolicies (tier, priority, every action). */
    private static Arbitrary<CompiledPolicy> policies() {
        Arbitrary<PolicyRef> refs = Combinators.combine(Arbitraries.of(PolicyKind.NetworkPolicy,
                PolicyKind.LegacyNetworkPolicy, PolicyKind.NamespaceIsolation), texts(), texts()).as(PolicyRef::new);
        Arbitrary<CompiledPolicy> networkPolicies = Combinators.combine(texts(), refs, texts(),
                Arbitraries.of(Direction.class).list().ofMaxSize(2), upTo(rules(Arbitraries.just(RuleAction.ACCEPT)), 3))
                .as(CompiledPolicy::new);
        Arbitrary<PolicyRef> clusterRefs = Combinators.combine(Arbitraries.of(PolicyKind.AdminClusterNetworkPolicy,
                PolicyKind.BaselineClusterNetworkPolicy), texts()).as((kind, name) -> new PolicyRef(kind, "", name));
        Arbitrary<CompiledPolicy> clusterPolicies = Combinators.combine(texts(), clusterRefs, texts(),
                upTo(rules(Arbitraries.of(RuleAction.class)), 3), Arbitraries.integers().between(0, 1000))
                .as((id, ref, appliedTo, rules, priority) -> new CompiledPolicy(id, ref, appliedTo, List.of(), rules,
                        PolicyTier.of(ref.kind()), priority));
        return Arbitraries.oneOf(networkPolicies, clusterPolicies);
    }

    private static Arbitrary<CompiledRule> rules(Arbitrary<RuleAction> actions) {
        return Combinators.combine(Arbitraries.of(Direction.class), Arbitraries.integers().between(0, 20), actions,
                Arbitraries.of(true, false), upTo(texts(), 3), upTo(ipBlocks(), 2), upTo(ports(), 4))
                .as(CompiledRule::new);
    }

    private static Arbitrary<IpBlock> ipBlocks() {
        Arbitrary<Cidr> cidrs = Arbitraries.of("10.0.0.0/8", "10.9.0.0/16", "192.168.1.7/32", "0.0.0.0/0", "fd00::/64",
                "2001:db8::1/128").map(text -> Cidr.parse(text).orElseThrow());
        return Combinators.combine(cidrs, upTo(cidrs, 2)).as(IpBlock::new);
    }

    /** Every shape a port takes on the wire: named, every port, a single port, a range. */
    private static Arbitrary<PortMatch> ports() {
        Arbitrary<Protocol> protocols = Arbitraries.of(Protocol.class);
        Arbitrary<Integer> numbers = Arbitraries.integers().between(PortMatch.MIN_PORT, PortMatch.MAX_PORT);
        return Arbitraries.oneOf(
                Combinators.combine(protocols, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(15))
                        .as(PortMatch::named),
                protocols.map(PortMatch::allOf),
                Combinators.combine(protocols, numbers).as((protocol, port) -> PortMatch.range(protocol, port, port)),
                Combinators.combine(protocols, numbers, numbers)
                        .as((protocol, a, b) -> PortMatch.range(protocol, Math.min(a, b), Math.max(a, b))));
    }

    private static Arbitrary<MemberGroup> groups() {
        return Combinators.combine(texts(), texts(), upTo(members(), 3)).as((id, selection, members) -> {
            TreeMap<String, GroupMember> byPod = new TreeMap<>();
            members.forEach(member -> byPod.put(member.pod(), member));
            return new MemberGroup(id, selection, byPod);
        });
    }

    private static Arbitrary<GroupMember> members() {
        Arbitrary<NamedPort> namedPorts = Combinators.combine(texts(), Arbitraries.of(Protocol.class),
                Arbitraries.integers().between(1, 65535)).as(NamedPort::new);
        Arbitrary<String> ips = Arbitraries.of("10.244.1.10", "10.244.2.20", "fd00::a", "192.168.0.1");
        return Combinators.combine(texts(), texts().injectNull(0.2), upTo(ips, 2),
                upTo(namedPorts, 2)).as(GroupMember::new);
    }
}
