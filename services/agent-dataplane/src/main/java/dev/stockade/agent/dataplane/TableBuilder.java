package dev.stockade.agent.dataplane;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.IpAddress;
import dev.stockade.core.policy.PolicyRef;
import dev.stockade.core.policy.PortMatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * {@code NodeRuleSet -> NftTable}: the pure heart of the dataplane.
 *
 * <p>Layout (see DESIGN.md): one base chain on the {@code forward} hook; established and related
 * traffic is accepted first; then the source IP is looked up in the {@code egress-*} verdict maps
 * (a hit jumps to that local pod's egress chain, whose allows {@code return}) and the destination
 * IP in the {@code ingress-*} maps (a hit jumps to the pod's ingress chain, whose allows
 * {@code accept}). Only isolated pods have map entries, so pods that are not isolated in a direction
 * fall through to the chain's {@code accept} policy. A pod chain ends in a rate-limited log and a
 * drop: the default deny of isolation ("a pod is isolated ... only traffic allowed by a policy").
 * Peer addresses live in named sets shared by every chain, so membership changes are element
 * changes. Deterministic: the same rule set always gives an equal table.
 *
 * <p>ClusterNetworkPolicies ({@link TierChains}): a pod with Admin or Baseline rules in a direction
 * enters that direction through its tier chains (Admin, then its NetworkPolicy chain when isolated,
 * else Baseline, then allow); the map points at the first stage it has.
 *
 * <p>Failing closed for new pods ({@link NewPods}), right after the established-traffic rule: a
 * source or destination in the node's pod CIDRs ({@code local-cidrs-*}, an interval set of merged
 * ranges) that is not a known local pod ({@code local-known-*}: the rule set's local pods and the
 * members of its applied-to groups) is counted and dropped, both directions, before any pod map is
 * consulted. Known pods go on as before: isolated ones to their chains, the others to the
 * {@code accept} policy. The CIDRs are fixed per agent, so deltas only ever change the known set's
 * elements. With {@link NewPods#OPEN} none of this is rendered: the table is exactly as before.
 */
public final class TableBuilder {

    /** Rate limit of deny logging: enough to attribute drops, bounded under a flood. */
    static final String LOG_LIMIT = "limit rate 10/second burst 20 packets";
    private static final String FORWARD_HOOK = "type filter hook forward priority filter; policy accept;";
    /** The comment on the fail-closed drops (then "source" or "destination"); {@code nft list} shows their counters. */
    static final String NO_VERDICT = "stockade: local pod without a verdict yet: ";

    private TableBuilder() {
    }

    /**
     * One pod of this node that policies apply to: its member entry and those policies (NetworkPolicies
     * and ClusterNetworkPolicies), sorted by ref.
     */
    record PodPolicies(GroupMember member, List<CompiledPolicy> policies) {
        List<PolicyRef> isolatedBy(Direction direction) {
            return policies.stream().filter(policy -> policy.isolates().contains(direction))
                    .map(CompiledPolicy::ref).distinct().sorted().toList();
        }
    }

    /** The table that enforces {@code rules} on its node, new pods open ({@link NewPods#OPEN}). */
    public static NftTable build(NodeRuleSet rules) {
        return build(rules, NewPods.OPEN);
    }

    /** The table that enforces {@code rules} on its node, treating unknown local addresses as {@code newPods} says. */
    public static NftTable build(NodeRuleSet rules, NewPods newPods) {
        Map<String, PodPolicies> pods = podPolicies(rules);
        Map<String, NftSet> sets = new LinkedHashMap<>();
        addressSets(rules).forEach(set -> sets.put(set.name(), set));
        namedPortSets(rules).forEach(set -> sets.put(set.name(), set));
        blockSets(rules).forEach(set -> sets.put(set.name(), set));
        List<Integer> guarded = new ArrayList<>();
        for (int family : new int[] {4, 6}) {
            List<AddressRange> ranges = newPods.guarded(family);
            if (!ranges.isEmpty()) {
                guarded.add(family);
                sets.put(Names.localCidrs(family), localCidrSet(ranges, family));
                sets.put(Names.localKnown(family), knownSet(rules, pods, family));
            }
        }
        Predicate<String> nonEmptySet = name -> sets.containsKey(name) && !sets.get(name).elements().isEmpty();
        Map<String, NftChain> podChains = new TreeMap<>();
        Map<Direction, Map<String, String>> entries = podChains(pods, nonEmptySet, podChains);
        Map<String, NftSet> ordered = new LinkedHashMap<>();
        new TreeMap<>(sets).forEach(ordered::put);
        podMaps(pods, entries).forEach(map -> ordered.put(map.name(), map));
        Map<String, NftChain> chains = new LinkedHashMap<>();
        chains.put(Names.FORWARD, forwardChain(guarded));
        podChains.forEach(chains::put);
        return new NftTable(ordered, chains);
    }

    /** Pods by key, from the applied-to groups of the policies present on this node. */
    static Map<String, PodPolicies> podPolicies(NodeRuleSet rules) {
        Map<String, PodPolicies> pods = new TreeMap<>();
        List<CompiledPolicy> policies = rules.policies().values().stream()
                .sorted(Comparator.comparing(CompiledPolicy::ref).thenComparing(CompiledPolicy::id)).toList();
        for (CompiledPolicy policy : policies) {
            MemberGroup group = rules.appliedToGroups().get(policy.appliedToGroup());
            if (group == null) {
                continue;
            }
            group.members().forEach((key, member) ->
                    pods.computeIfAbsent(key, k -> new PodPolicies(member, new ArrayList<>())).policies().add(policy));
        }
        return pods;
    }

    /** The base chain; {@code guarded}: the IP families whose unknown local addresses are dropped. */
    private static NftChain forwardChain(List<Integer> guarded) {
        List<String> rules = new ArrayList<>();
        rules.add("ct state established,related accept");
        for (int family : guarded) {
            String ip = RuleRenderer.ipKeyword(family);
            for (String side : new String[] {"saddr", "daddr"}) {
                String which = side.equals("saddr") ? "source" : "destination";
                rules.add(ip + " " + side + " @" + Names.localCidrs(family) + " " + ip + " " + side + " != @"
                        + Names.localKnown(family) + " counter drop comment \"" + NO_VERDICT + which + "\"");
            }
        }
        rules.add("ip saddr vmap @" + Names.podMap(false, 4));
        rules.add("ip6 saddr vmap @" + Names.podMap(false, 6));
        rules.add("ip daddr vmap @" + Names.podMap(true, 4));
        rules.add("ip6 daddr vmap @" + Names.podMap(true, 6));
        return new NftChain(Names.FORWARD, FORWARD_HOOK, "stockade: pod isolation for forwarded traffic", rules);
    }

    /** The node's pod CIDRs of a family, merged into disjoint ranges (an interval set rejects overlaps). */
    private static NftSet localCidrSet(List<AddressRange> ranges, int family) {
        Map<String, String> elements = new LinkedHashMap<>();
        ranges.forEach(range -> elements.put(range.toNft(), null));
        return new NftSet(Names.localCidrs(family), addressType(family), null, true, elements);
    }

    /** Local addresses with a verdict: the rule set's local pods and the members of its applied-to groups. */
    private static NftSet knownSet(NodeRuleSet rules, Map<String, PodPolicies> pods, int family) {
        Map<String, String> elements = new TreeMap<>(Comparator.comparing(TableBuilder::ipOrder));
        rules.localPods().values().forEach(pod -> podIps(pod.ips(), family).forEach(ip -> elements.put(ip, null)));
        pods.values().forEach(pod -> memberIps(List.of(pod.member()), family).forEach(ip -> elements.put(ip, null)));
        return new NftSet(Names.localKnown(family), addressType(family), null, false, elements);
    }

    private static List<NftSet> addressSets(NodeRuleSet rules) {
        List<NftSet> sets = new ArrayList<>();
        for (MemberGroup group : rules.addressGroups().values()) {
            for (int family : new int[] {4, 6}) {
                Map<String, String> elements = new LinkedHashMap<>();
                memberIps(group.members().values(), family).forEach(ip -> elements.put(ip, null));
                sets.add(new NftSet(Names.addressSet(group.id(), family), addressType(family), null, false, elements));
            }
        }
        return sets;
    }

    /** For every (address group, named port) an egress rule uses: {@code ip . port} of the members declaring it. */
    private static List<NftSet> namedPortSets(NodeRuleSet rules) {
        Map<String, NftSet> sets = new TreeMap<>();
        for (CompiledPolicy policy : rules.policies().values()) {
            for (CompiledRule rule : policy.rules()) {
                if (rule.direction() != Direction.EGRESS) {
                    continue;
                }
                for (PortMatch port : rule.ports()) {
                    if (port.isNamed()) {
                        rule.addressGroups().forEach(group -> addNamedPortSets(sets, rules.addressGroups().get(group), group, port));
                    }
                }
            }
        }
        return List.copyOf(sets.values());
    }

    private static void addNamedPortSets(Map<String, NftSet> sets, MemberGroup group, String groupId, PortMatch port) {
        for (int family : new int[] {4, 6}) {
            Map<String, String> elements = new TreeMap<>();
            if (group != null) {
                for (GroupMember member : group.members().values()) {
                    Optional<Integer> number = member.resolve(port.name(), port.protocol());
                    number.ifPresent(n -> memberIps(List.of(member), family).forEach(ip -> elements.put(ip + " . " + n, null)));
                }
            }
            String name = Names.namedPortSet(groupId, port.protocol(), port.name(), family);
            sets.put(name, new NftSet(name, addressType(family) + " . inet_service", null, false, elements));
        }
    }

    /** Interval sets of each rule's ipBlocks, holes subtracted; a family without ranges gets no set. */
    private static List<NftSet> blockSets(NodeRuleSet rules) {
        List<NftSet> sets = new ArrayList<>();
        for (CompiledPolicy policy : rules.policies().values()) {
            for (int position = 0; position < policy.rules().size(); position++) {
                List<AddressRange> ranges = IntervalMath.ofBlocks(policy.rules().get(position).ipBlocks());
                for (int family : new int[] {4, 6}) {
                    Map<String, String> elements = new LinkedHashMap<>();
                    ranges.stream().filter(range -> range.ipv6() == (family == 6)).forEach(range -> elements.put(range.toNft(), null));
                    if (!elements.isEmpty()) {
                        sets.add(new NftSet(Names.blockSet(policy, position, family), addressType(family), null, true, elements));
                    }
                }
            }
        }
        return sets;
    }

    /** Verdict maps: the IPs of each local pod with anything to enforce in a direction to its entry chain. */
    private static List<NftSet> podMaps(Map<String, PodPolicies> pods, Map<Direction, Map<String, String>> entries) {
        List<NftSet> maps = new ArrayList<>();
        for (boolean ingress : new boolean[] {true, false}) {
            Map<String, String> entry = entries.get(ingress ? Direction.INGRESS : Direction.EGRESS);
            for (int family : new int[] {4, 6}) {
                Map<String, String> elements = new TreeMap<>(Comparator.comparing(TableBuilder::ipOrder));
                entry.forEach((key, chain) -> memberIps(List.of(pods.get(key).member()), family)
                        .forEach(ip -> elements.put(ip, "jump " + chain)));
                maps.add(new NftSet(Names.podMap(ingress, family), addressType(family), "verdict", false, elements));
            }
        }
        return maps;
    }

    /**
     * Every pod's chains into {@code into}: per direction its NetworkPolicy chain when isolated and its
     * ClusterNetworkPolicy stages ({@link TierChains}). Returns per direction each pod's entry chain.
     */
    private static Map<Direction, Map<String, String>> podChains(Map<String, PodPolicies> pods,
                                                                 Predicate<String> nonEmptySet, Map<String, NftChain> into) {
        Map<Direction, Map<String, String>> entries = new java.util.EnumMap<>(Direction.class);
        for (Direction direction : Direction.values()) {
            entries.put(direction, new TreeMap<>());
        }
        pods.forEach((key, pod) -> {
            if (pod.member().ips().isEmpty()) {
                return;
            }
            for (Direction direction : Direction.values()) {
                List<PolicyRef> isolatedBy = pod.isolatedBy(direction);
                NftChain networkPolicy = isolatedBy.isEmpty() ? null : podChain(key, pod, direction, isolatedBy, nonEmptySet);
                TierChains.Stages stages = TierChains.of(key, pod, direction, networkPolicy, nonEmptySet);
                stages.chains().forEach(chain -> into.put(chain.name(), chain));
                stages.entry().ifPresent(chain -> entries.get(direction).put(key, chain));
            }
        });
        return entries;
    }

    private static NftChain podChain(String key, PodPolicies pod, Direction direction, List<PolicyRef> isolatedBy,
                                     Predicate<String> nonEmptySet) {
        boolean ingress = direction == Direction.INGRESS;
        List<String> lines = new ArrayList<>();
        for (CompiledPolicy policy : pod.policies()) {
            if (policy.clusterWide()) {
                continue;
            }
            for (int position = 0; position < policy.rules().size(); position++) {
                CompiledRule rule = policy.rules().get(position);
                if (rule.direction() != direction) {
                    continue;
                }
                lines.addAll(RuleRenderer.render(policy, position, rule, pod.member(), ingress ? "accept" : "return", nonEmptySet));
            }
        }
        lines.add(LOG_LIMIT + " log prefix \"" + DenyLogPrefix.format(ingress, key, isolatedBy) + "\" level info");
        lines.add("counter drop");
        String comment = (ingress ? "ingress" : "egress") + " of " + key + " (isolated)";
        return new NftChain(Names.podChain(ingress, key), null, comment, lines);
    }

    /**
     * The members' IPs of one family, in member (pod key) order, each once; text that is not an IP
     * address is skipped, so one bad pod cannot make nft reject the node's whole table.
     */
    static List<String> memberIps(Iterable<GroupMember> members, int family) {
        java.util.LinkedHashSet<String> ips = new java.util.LinkedHashSet<>();
        for (GroupMember member : members) {
            ips.addAll(podIps(member.ips(), family));
        }
        return List.copyOf(ips);
    }

    /** A pod's IPs of one family, canonical, each once; text that is not an IP address is skipped. */
    static List<String> podIps(List<String> texts, int family) {
        java.util.LinkedHashSet<String> ips = new java.util.LinkedHashSet<>();
        for (String ip : texts) {
            if ((ip.indexOf(':') >= 0) == (family == 6)) {
                // IPv4 text that parses is already canonical; IPv6 has many spellings of one address.
                IpAddress.parse(ip).ifPresent(address -> ips.add(family == 4 ? ip : address.toString()));
            }
        }
        return List.copyOf(ips);
    }

    private static IpAddress ipOrder(String ip) {
        return IpAddress.parse(ip).orElseThrow();
    }

    private static String addressType(int family) {
        return family == 4 ? "ipv4_addr" : "ipv6_addr";
    }
}
