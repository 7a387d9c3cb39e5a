package dev.stockade.agent.dataplane;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.PortMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Turns one compiled rule into the nft rules of one local pod's chain.
 *
 * <p>Meaning: the rule allows a packet when its peer matches (any peer; a member IP of an address
 * group; an address of its ipBlocks minus holes) and its port matches ("If this field is empty or
 * missing, this rule matches all ports"; otherwise any listed numeric port or range of the
 * packet's protocol, or a named port). A named port resolves on the destination pod: for
 * ingress that is the chain's own pod, resolved here at render time; for egress it is the peer,
 * so it is matched against the {@code ip . port} set of the address group's members declaring it.
 * A named port nobody declares matches nothing (it never widens to "all ports").
 *
 * <p>One nft rule is emitted per (peer source x protocol); every one ends in {@code verdict}:
 * {@code accept} for ingress, {@code return} for egress, so that after an egress allow the
 * destination's ingress check still runs in the base chain.
 */
final class RuleRenderer {

    private static final int[] FAMILIES = {4, 6};

    private RuleRenderer() {
    }

    /** The nft rules for {@code rule} (at {@code position} in {@code policy}) in {@code pod}'s chain. */
    static List<String> render(CompiledPolicy policy, int position, CompiledRule rule, GroupMember pod,
                               String verdict, Predicate<String> nonEmptySet) {
        boolean ingress = rule.direction() == Direction.INGRESS;
        String tail = verdict + " comment \"" + attribution(policy, rule) + "\"";
        List<String> lines = new ArrayList<>();
        List<String> ports = numericPorts(rule.ports(), ingress ? pod : null);
        for (String peer : peers(policy, position, rule, ingress, nonEmptySet)) {
            for (String port : ports) {
                lines.add(join(peer, port, tail));
            }
        }
        if (!ingress) {
            lines.addAll(egressNamedPorts(rule, tail, nonEmptySet));
        }
        return lines;
    }

    /** Which policy and rule an nft rule came from, for people reading {@code nft list}. */
    static String attribution(CompiledPolicy policy, CompiledRule rule) {
        return policy.ref().kind() + " " + policy.ref().namespace() + "/" + policy.ref().name() + " "
                + rule.direction().name().toLowerCase(java.util.Locale.ROOT) + "#" + rule.index();
    }

    /**
     * Peer matches; {@code ""} means any peer. A match against an empty set would match nothing,
     * so it is left out (an IPv4-only cluster gets no {@code ip6} rules).
     */
    private static List<String> peers(CompiledPolicy policy, int position, CompiledRule rule, boolean ingress,
                                      Predicate<String> nonEmptySet) {
        if (rule.anyPeer()) {
            return List.of("");
        }
        String side = ingress ? "saddr" : "daddr";
        List<String> peers = new ArrayList<>();
        for (int family : FAMILIES) {
            for (String group : rule.addressGroups()) {
                String set = Names.addressSet(group, family);
                if (nonEmptySet.test(set)) {
                    peers.add(ipKeyword(family) + " " + side + " @" + set);
                }
            }
            String blocks = Names.blockSet(policy, position, family);
            if (nonEmptySet.test(blocks)) {
                peers.add(ipKeyword(family) + " " + side + " @" + blocks);
            }
        }
        return peers;
    }

    /**
     * Port matches; {@code ""} means every port. Empty when the rule lists ports but none is
     * numeric or resolvable here (then only egress named-port rules can allow).
     */
    static List<String> numericPorts(List<PortMatch> ports, GroupMember destination) {
        if (ports.isEmpty()) {
            return List.of("");
        }
        Map<Protocol, List<int[]>> byProtocol = new TreeMap<>();
        for (PortMatch port : ports) {
            if (!port.isNamed()) {
                byProtocol.computeIfAbsent(port.protocol(), p -> new ArrayList<>()).add(new int[] {port.from(), port.to()});
            } else if (destination != null) {
                destination.resolve(port.name(), port.protocol()).ifPresent(number ->
                        byProtocol.computeIfAbsent(port.protocol(), p -> new ArrayList<>()).add(new int[] {number, number}));
            }
        }
        List<String> matches = new ArrayList<>();
        byProtocol.forEach((protocol, ranges) -> matches.add(protocolMatch(protocol, mergePorts(ranges))));
        return matches;
    }

    /** Sorted, merged port ranges: an anonymous nft set rejects overlapping intervals. */
    static List<int[]> mergePorts(List<int[]> ranges) {
        List<int[]> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
        List<int[]> merged = new ArrayList<>();
        for (int[] range : sorted) {
            int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && range[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], range[1]);
            } else {
                merged.add(new int[] {range[0], range[1]});
            }
        }
        return merged;
    }

    /** Egress named ports: the destination must be a member declaring that port, at that port. */
    private static List<String> egressNamedPorts(CompiledRule rule, String tail, Predicate<String> nonEmptySet) {
        List<String> lines = new ArrayList<>();
        for (PortMatch port : rule.ports()) {
            if (!port.isNamed()) {
                continue;
            }
            for (String group : rule.addressGroups()) {
                for (int family : FAMILIES) {
                    String set = Names.namedPortSet(group, port.protocol(), port.name(), family);
                    if (!nonEmptySet.test(set)) {
                        continue;
                    }
                    lines.add("meta l4proto " + port.protocol().lowerCase() + " " + ipKeyword(family)
                            + " daddr . th dport @" + set + " " + tail);
                }
            }
        }
        return lines;
    }

    /** {@code meta l4proto tcp} for every port, else with {@code th dport 80} or a set of ports. */
    private static String protocolMatch(Protocol protocol, List<int[]> ranges) {
        String match = "meta l4proto " + protocol.lowerCase();
        if (ranges.size() == 1 && ranges.get(0)[0] <= PortMatch.MIN_PORT && ranges.get(0)[1] >= PortMatch.MAX_PORT) {
            return match;
        }
        List<String> texts = ranges.stream().map(range -> portText(range[0], range[1])).toList();
        return match + " th dport " + (texts.size() == 1 ? texts.get(0) : "{ " + String.join(", ", texts) + " }");
    }

    /** {@code 80}, or {@code 80-90} for an endPort range. */
    private static String portText(int from, int to) {
        return from == to ? String.valueOf(from) : from + "-" + to;
    }

    static String ipKeyword(int family) {
        return family == 4 ? "ip" : "ip6";
    }

    private static String join(String... parts) {
        StringBuilder text = new StringBuilder();
        for (String part : parts) {
            if (!part.isEmpty()) {
                text.append(text.length() == 0 ? "" : " ").append(part);
            }
        }
        return text.toString();
    }
}
