package dev.stockade.events.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Value of a {@code stockade.rules} record (key: the node name): one node's delta. An agent that
 * applied generation g applies g+1 next; {@code sourceOffset} is the offset of the last
 * {@code stockade.resources} record it covers (the compiler publishes one delta per node for a
 * batch of records). Removals apply before additions; member
 * patches last, their removals before their additions. No timestamps: the same events give
 * byte-identical records.
 *
 * <p>{@code localPods} changes the node's list of its pods with an address (selected by a policy or
 * not; a fail-closed agent drops local addresses that are on no list). It is left out when the list
 * did not change, so such records are byte for byte what compilers wrote before the field existed;
 * absent (or null) reads as no change.
 */
public record RuleDeltaRecord(int schemaVersion, String node, long generation, long sourceOffset,
                              PolicyPatch policies, GroupPatch appliedToGroups, GroupPatch addressGroups,
                              @JsonInclude(JsonInclude.Include.NON_NULL) LocalPodPatch localPods) {

    public static final int VERSION = 1;

    /** A record without local-pod changes (as written before {@code localPods} existed). */
    public RuleDeltaRecord(int schemaVersion, String node, long generation, long sourceOffset, PolicyPatch policies,
                           GroupPatch appliedToGroups, GroupPatch addressGroups) {
        this(schemaVersion, node, generation, sourceOffset, policies, appliedToGroups, addressGroups, null);
    }

    /** Local pods that joined or changed (whole) and that left (by ns/name); a changed pod is in both. */
    public record LocalPodPatch(List<LocalPod> added, List<String> removed) {
    }

    /** A pod of the node with an address: ns/name and its IPs. */
    public record LocalPod(String pod, List<String> ips) {
    }

    /** Policies gained (whole) and lost (by id). */
    public record PolicyPatch(List<Policy> added, List<String> removed) {
    }

    /** Groups gained (whole), lost (by id), and membership patches of groups kept. */
    public record GroupPatch(List<Group> added, List<String> removed, List<MemberPatch> patched) {
    }

    /** Membership change: pods that joined or changed (whole) and pods that left (by ns/name). */
    public record MemberPatch(String group, List<Member> added, List<String> removed) {
    }

    /**
     * A compiled policy: kind NetworkPolicy, LegacyNetworkPolicy, NamespaceIsolation,
     * AdminClusterNetworkPolicy or BaselineClusterNetworkPolicy; isolates lists INGRESS and/or EGRESS.
     *
     * <p>{@code tier} ({@code ADMIN} or {@code BASELINE}, the tier of the kind) and {@code priority}
     * ({@code spec.priority}) are written for ClusterNetworkPolicies only, and then both; absent they
     * mean the NetworkPolicy tier (priority 0), so NetworkPolicy records are byte for byte what was
     * written before tiers existed.
     */
    public record Policy(String id, String kind, String namespace, String name, String appliedToGroup,
                         List<String> isolates, List<Rule> rules,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String tier,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Integer priority) {

        /** A NetworkPolicy-tier policy (no tier, no priority). */
        public Policy(String id, String kind, String namespace, String name, String appliedToGroup,
                      List<String> isolates, List<Rule> rules) {
            this(id, kind, namespace, name, appliedToGroup, isolates, rules, null, null);
        }
    }

    /**
     * A rule: peers (any, address groups, ipBlocks) and ports (empty = all). {@code action}
     * ({@code ACCEPT}, {@code DENY}, {@code PASS}) is written for every rule of a ClusterNetworkPolicy
     * and never for a NetworkPolicy rule (absent: an allow).
     */
    public record Rule(String direction, int index, boolean anyPeer, List<String> addressGroups,
                       List<IpBlock> ipBlocks, List<Port> ports,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String action) {

        /** A NetworkPolicy rule (no action). */
        public Rule(String direction, int index, boolean anyPeer, List<String> addressGroups, List<IpBlock> ipBlocks,
                    List<Port> ports) {
            this(direction, index, anyPeer, addressGroups, ipBlocks, ports, null);
        }
    }

    /** CIDR text and the CIDRs left out of it. */
    public record IpBlock(String cidr, List<String> except) {
    }

    /**
     * A port: protocol with either {@code name} (a named port), or {@code port} and
     * {@code endPort} (a range; both null = every port of the protocol).
     */
    public record Port(String protocol, Integer port, Integer endPort, String name) {
    }

    /** A group: id, the selection it stands for, its members. */
    public record Group(String id, String selection, List<Member> members) {
    }

    /** A pod in a group: ns/name, node (null when unscheduled), IPs, named ports. */
    public record Member(String pod, String node, List<String> ips, List<NamedPort> namedPorts) {
    }

    /** A resolved named container port. */
    public record NamedPort(String name, String protocol, int port) {
    }
}
