package dev.stockade.core.policy;

import dev.stockade.core.model.ClusterNetworkPolicyInfo.DestinationPort;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.PortSelector;
import dev.stockade.core.model.ClusterNetworkPolicyInfo.ProtocolSpec;
import dev.stockade.core.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Validates a ClusterNetworkPolicy rule's {@code protocols} into {@link PortMatch}es, as upstream's
 * CRD does: the list, when present, has 1-25 entries; each entry sets exactly one of {@code tcp},
 * {@code udp}, {@code sctp} or {@code destinationNamedPort}; a protocol object needs its
 * {@code destinationPort} ({@code MinProperties=1}), which is exactly one of {@code number}
 * (1-65535) or {@code range} ({@code start} and {@code end} 1-65535, {@code start < end}).
 */
final class Protocols {

    private Protocols() {
    }

    /** Empty (every protocol and port) when absent; what is valid of it otherwise, problems reported. */
    static List<PortMatch> parse(List<ProtocolSpec> protocols, String at, FieldProblems problems) {
        if (protocols == null) {
            return List.of();
        }
        if (protocols.isEmpty()) {
            problems.reject(at, "must have at least one entry when present (omit it to match every protocol and port)");
            return List.of();
        }
        ClusterPolicyValidator.atMost(protocols.size(), ClusterPolicyValidator.MAX_PROTOCOLS, at, "entries", problems);
        List<PortMatch> ports = new ArrayList<>();
        for (int i = 0; i < protocols.size(); i++) {
            entry(protocols.get(i), at + "[" + i + "]", problems, ports);
        }
        return ports;
    }

    private static void entry(ProtocolSpec entry, String at, FieldProblems problems, List<PortMatch> into) {
        long set = entry == null ? 0 : Stream.of(entry.tcp(), entry.udp(), entry.sctp(), entry.destinationNamedPort())
                .filter(field -> field != null).count();
        if (set != 1) {
            problems.reject(at, "exactly one of tcp, udp, sctp or destinationNamedPort must be set");
        } else if (entry.destinationNamedPort() != null) {
            for (Protocol protocol : Protocol.values()) {
                into.add(PortMatch.named(protocol, entry.destinationNamedPort()));
            }
        } else if (entry.tcp() != null) {
            port(Protocol.TCP, entry.tcp(), at + ".tcp", problems, into);
        } else if (entry.udp() != null) {
            port(Protocol.UDP, entry.udp(), at + ".udp", problems, into);
        } else {
            port(Protocol.SCTP, entry.sctp(), at + ".sctp", problems, into);
        }
    }

    private static void port(Protocol protocol, PortSelector selector, String at, FieldProblems problems,
                             List<PortMatch> into) {
        DestinationPort port = selector.destinationPort();
        if (port == null) {
            problems.reject(at, "destinationPort is required here (the schema requires at least one property;"
                    + " for every port of the protocol write range 1-65535)");
            return;
        }
        String portAt = at + ".destinationPort";
        if ((port.number() == null) == (port.range() == null)) {
            problems.reject(portAt, "exactly one of number or range must be set");
            return;
        }
        if (port.number() != null) {
            if (PortParser.validNumber(port.number(), portAt + ".number", problems)) {
                into.add(PortMatch.range(protocol, port.number(), port.number()));
            }
            return;
        }
        range(protocol, port.range().start(), port.range().end(), portAt + ".range", problems, into);
    }

    private static void range(Protocol protocol, Integer start, Integer end, String at, FieldProblems problems,
                              List<PortMatch> into) {
        boolean ok = bound(start, at + ".start", problems) & bound(end, at + ".end", problems);
        if (ok && start >= end) {
            problems.reject(at, "start " + start + " must be less than end " + end);
        } else if (ok) {
            into.add(PortMatch.range(protocol, start, end));
        }
    }

    private static boolean bound(Integer port, String at, FieldProblems problems) {
        if (port == null) {
            problems.reject(at, "required");
            return false;
        }
        return PortParser.validNumber(port, at, problems);
    }
}
