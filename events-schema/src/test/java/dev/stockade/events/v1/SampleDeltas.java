package dev.stockade.events.v1;

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
import dev.stockade.core.model.Protocol;
import dev.stockade.core.policy.Cidr;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.IpBlock;
import dev.stockade.core.policy.PolicyKind;
import dev.stockade.core.policy.PolicyRef;
import dev.stockade.core.policy.PortMatch;
import dev.stockade.core.policy.RuleAction;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Deltas and rule sets that use every field of the wire format. */
final class SampleDeltas {

    private SampleDeltas() {
    }

    /** Every field written before {@code localPods} existed: the golden {@code rule-delta.json}. */
    static NodeDelta everyField() {
        GroupMember frontend = new GroupMember("tenant-a/frontend-1", "node-a1", List.of("10.244.1.10"),
                List.of(new NamedPort("http", Protocol.TCP, 80)));
        GroupMember backend = new GroupMember("tenant-a/backend-1", "node-a2", List.of("10.244.2.20"), List.of());
        CompiledRule rule = new CompiledRule(Direction.INGRESS, 0, false, List.of("ag-1"),
                List.of(new IpBlock(Cidr.parse("10.0.0.0/8").orElseThrow(), List.of(Cidr.parse("10.9.0.0/16").orElseThrow()))),
                List.of(PortMatch.range(Protocol.TCP, 80, 80), PortMatch.range(Protocol.UDP, 5000, 5100),
                        PortMatch.allOf(Protocol.SCTP), PortMatch.named(Protocol.TCP, "http")));
        CompiledPolicy policy = new CompiledPolicy("p-1", new PolicyRef(PolicyKind.LegacyNetworkPolicy, "tenant-a", "pol1"),
                "atg-1", List.of(Direction.INGRESS), List.of(rule));
        return new NodeDelta("node-a2", 7,
                new PolicyPatch(List.of(policy), List.of("p-0")),
                new GroupPatch(List.of(new MemberGroup("atg-1", "ns=tenant-a;pods=segment=backend",
                        new TreeMap<>(Map.of(backend.pod(), backend)))), List.of("atg-0"), List.of()),
                new GroupPatch(List.of(), List.of(),
                        List.of(new MemberPatch("ag-1", List.of(frontend), List.of("tenant-a/frontend-9")))));
    }

    /**
     * {@link #everyField()} with local-pod changes: one pod joins with two addresses, one changes
     * its address (removed and added), one leaves. The golden {@code rule-delta-local-pods.json}.
     */
    static NodeDelta withLocalPods() {
        NodeDelta delta = everyField();
        return new NodeDelta(delta.node(), delta.generation(), delta.policies(), delta.appliedToGroups(),
                delta.addressGroups(), new LocalPodPatch(List.of(
                        new LocalPod("tenant-a/backend-1", List.of("10.244.2.20", "fd00:244:2::20")),
                        new LocalPod("tenant-a/web-3", List.of("10.244.2.33"))),
                        List.of("tenant-a/old-7", "tenant-a/web-3")));
    }

    /**
     * A delta adding one ClusterNetworkPolicy of each tier, every action, a {@code networks} peer (an
     * ipBlock without holes), a named port and a rule that fails closed (Deny of every peer), and the
     * Baseline one at priority 0 (written, not left out). The golden {@code rule-delta-cluster-policy.json}.
     */
    static NodeDelta withClusterPolicies() {
        Cidr everyIpv4 = Cidr.parse("0.0.0.0/0").orElseThrow();
        CompiledPolicy admin = CompiledPolicy.of(new PolicyRef(PolicyKind.AdminClusterNetworkPolicy, "", "guard-monitoring"),
                "atg-2", List.of(), List.of(
                        new CompiledRule(Direction.INGRESS, 0, RuleAction.ACCEPT, false, List.of("ag-2"), List.of(),
                                List.of(PortMatch.range(Protocol.TCP, 9090, 9090))),
                        new CompiledRule(Direction.INGRESS, 1, RuleAction.DENY, true, List.of(), List.of(), List.of()),
                        new CompiledRule(Direction.EGRESS, 0, RuleAction.PASS, false, List.of(),
                                List.of(new IpBlock(everyIpv4, List.of())), List.of(PortMatch.range(Protocol.UDP, 53, 53))),
                        new CompiledRule(Direction.EGRESS, 1, RuleAction.ACCEPT, false, List.of("ag-2"), List.of(),
                                List.of(PortMatch.named(Protocol.TCP, "web"), PortMatch.named(Protocol.UDP, "web"),
                                        PortMatch.named(Protocol.SCTP, "web")))), 10);
        CompiledPolicy baseline = CompiledPolicy.of(new PolicyRef(PolicyKind.BaselineClusterNetworkPolicy, "",
                "default-isolate"), "atg-3", List.of(), List.of(
                        new CompiledRule(Direction.INGRESS, 0, RuleAction.DENY, true, List.of(), List.of(), List.of())), 0);
        GroupMember prometheus = new GroupMember("monitoring/prometheus-0", "node-m1", List.of("10.244.3.30"),
                List.of(new NamedPort("web", Protocol.TCP, 9090)));
        GroupMember grafana = new GroupMember("monitoring/grafana-0", "node-m1", List.of("10.244.3.31"), List.of());
        return new NodeDelta("node-m1", 3, new PolicyPatch(List.of(admin, baseline), List.of()),
                new GroupPatch(List.of(new MemberGroup("atg-2", "namespaces=kubernetes.io/metadata.name=monitoring;pods=*",
                        new TreeMap<>(Map.of(grafana.pod(), grafana, prometheus.pod(), prometheus))),
                        new MemberGroup("atg-3", "namespaces=*;pods=*",
                                new TreeMap<>(Map.of(grafana.pod(), grafana, prometheus.pod(), prometheus)))),
                        List.of(), List.of()),
                new GroupPatch(List.of(new MemberGroup("ag-2", "namespaces=*;pods=app=prometheus",
                        new TreeMap<>(Map.of(prometheus.pod(), prometheus)))), List.of(), List.of()));
    }

    /** node-a2's rule set after {@link #withLocalPods()}: the golden {@code rule-set-local-pods.json} at generation 7. */
    static NodeRuleSet ruleSetWithLocalPods() {
        NodeDelta delta = withLocalPods();
        return NodeRuleSet.empty(delta.node()).apply(new NodeDelta(delta.node(), 1, delta.policies(),
                delta.appliedToGroups(), GroupPatch.EMPTY, delta.localPods()));
    }
}
