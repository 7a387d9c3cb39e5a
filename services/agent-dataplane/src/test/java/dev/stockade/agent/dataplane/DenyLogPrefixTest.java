package dev.stockade.agent.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.PolicyKind;
import dev.stockade.core.policy.RuleAction;
import dev.stockade.core.policy.PolicyRef;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Deny log lines name the pod and the policy whose isolation dropped the connection. */
class DenyLogPrefixTest {

    private static final PolicyRef DENY = new PolicyRef(PolicyKind.NetworkPolicy, "x", "deny-all");
    private static final PolicyRef ISOLATION = new PolicyRef(PolicyKind.NamespaceIsolation, "x",
            "net.alpha.kubernetes.io/network-isolation");

    @Test
    void aKernelLogLineIsAttributedToPodDirectionAndFirstIsolatingPolicy() {
        String prefix = DenyLogPrefix.format(true, "x/a", List.of(DENY, ISOLATION));
        String kernelLine = "[12345.678] " + prefix + "IN=fab0 OUT=pv1 SRC=10.244.2.11 DST=10.244.1.11 PROTO=TCP DPT=80";
        assertEquals(Optional.of(new DenyLogPrefix.Attribution(true, "x/a", "np", "x/deny-all", 1)),
                DenyLogPrefix.parse(kernelLine));
    }

    @Test
    void namespaceIsolationOfThe2016ApiIsNamedAsSuch() {
        String prefix = DenyLogPrefix.format(false, "tenant-a/backend", List.of(ISOLATION));
        assertEquals(Optional.of(new DenyLogPrefix.Attribution(false, "tenant-a/backend", "iso",
                "x/net.alpha.kubernetes.io/network-isolation", 0)), DenyLogPrefix.parse(prefix));
    }

    @Test
    void clusterNetworkPoliciesAreNamedWithTheirTierAndNoNamespace() {
        String admin = DenyLogPrefix.format(true, "x/a", List.of(new PolicyRef(PolicyKind.AdminClusterNetworkPolicy, "",
                "deny-monitoring")));
        assertEquals("stockade-deny in x/a cnp-admin:/deny-monitoring ", admin);
        String baseline = DenyLogPrefix.format(false, "x/a", List.of(new PolicyRef(
                PolicyKind.BaselineClusterNetworkPolicy, "", "default-isolate")));
        assertEquals(Optional.of(new DenyLogPrefix.Attribution(false, "x/a", "cnp-baseline", "/default-isolate", 0)),
                DenyLogPrefix.parse(baseline));
    }

    @Test
    void aClusterNetworkPolicyDenyRuleNamesTierPolicyAndRule() {
        CompiledRule rule = new CompiledRule(Direction.EGRESS, 2, RuleAction.DENY, true, List.of(), List.of(), List.of());
        String prefix = DenyLogPrefix.formatRule(false, "x/a", new PolicyRef(PolicyKind.AdminClusterNetworkPolicy, "",
                "deny-monitoring"), rule);
        assertEquals("stockade-deny eg x/a cnp-admin:/deny-monitoring egress[2] ", prefix);
        assertEquals(Optional.of(new DenyLogPrefix.Attribution(false, "x/a", "cnp-admin", "/deny-monitoring", 0,
                "egress[2]")), DenyLogPrefix.parse("kernel: [1.2] " + prefix + "IN=veth1 OUT=veth2"));
    }

    @Test
    void aPrefixNeverExceedsWhatTheKernelKeeps() {
        String longName = "p".repeat(200);
        String prefix = DenyLogPrefix.format(true, "ns/" + longName, List.of(DENY));
        assertTrue(prefix.length() <= 127, "length " + prefix.length());
    }

    @Test
    void linesOfOthersAreNotAttributed() {
        assertEquals(Optional.empty(), DenyLogPrefix.parse("IN=eth0 OUT= SRC=1.2.3.4"));
    }
}
