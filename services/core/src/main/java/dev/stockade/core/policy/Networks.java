package dev.stockade.core.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validates an egress peer's {@code networks} as upstream's CRD does: 1-25 entries, a set (no
 * duplicate), each at most 43 characters and accepted by the Kubernetes CEL function
 * {@code isCIDR}: Go's {@code netip.ParsePrefix} (IPv4 dotted quad without leading zeros, IPv6
 * text including an embedded dotted IPv4 tail, no zone, prefix length without leading zeros),
 * and no IPv4-mapped IPv6 address. Host bits may be set ({@code 10.0.0.7/24} is
 * {@code 10.0.0.0/24}).
 */
final class Networks {

    static final int MAX_CIDR_LENGTH = 43;

    private Networks() {
    }

    static List<Cidr> parse(List<String> networks, String at, FieldProblems problems) {
        if (!ClusterPolicyValidator.listSize(networks, at, ClusterPolicyValidator.MAX_NETWORKS, "CIDRs", problems)) {
            return List.of();
        }
        List<Cidr> cidrs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < networks.size(); i++) {
            String text = networks.get(i);
            String entryAt = at + "[" + i + "]";
            if (text == null) {
                problems.reject(entryAt, "a CIDR is required");
            } else if (!seen.add(text)) {
                problems.reject(entryAt, "duplicate entry '" + text + "' (networks is a set)");
            } else if (text.length() > MAX_CIDR_LENGTH) {
                problems.reject(entryAt, "'" + text + "' is longer than " + MAX_CIDR_LENGTH + " characters");
            } else {
                Optional<Cidr> cidr = cidr(text);
                if (cidr.isEmpty()) {
                    problems.reject(entryAt, "'" + text + "' is not a CIDR such as 10.0.0.0/8 or fd00::/8");
                } else {
                    cidrs.add(cidr.get());
                }
            }
        }
        return cidrs;
    }

    /** The CIDR as {@code isCIDR} reads it; empty when it does not accept the text. */
    static Optional<Cidr> cidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/') || text.indexOf('%') >= 0) {
            return Optional.empty();
        }
        String prefix = text.substring(slash + 1);
        if (prefix.length() > 1 && prefix.charAt(0) == '0') {
            return Optional.empty();
        }
        Optional<String> address = withoutDottedTail(text.substring(0, slash));
        Optional<Cidr> cidr = address.flatMap(a -> Cidr.parse(a + "/" + prefix));
        if (cidr.isPresent() && address.get().indexOf(':') >= 0 && isIpv4Mapped(address.get())) {
            return Optional.empty();
        }
        return cidr;
    }

    /** {@code 64:ff9b::1.2.3.4} as {@code 64:ff9b::102:304}; other text unchanged; empty when the tail is no IPv4. */
    private static Optional<String> withoutDottedTail(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0 || address.indexOf('.') < 0) {
            return Optional.of(address);
        }
        return IpAddress.parse(address.substring(colon + 1)).filter(v4 -> !v4.ipv6()).map(v4 -> {
            long value = v4.value().longValue();
            return address.substring(0, colon + 1) + Long.toHexString(value >> 16) + ":" + Long.toHexString(value & 0xffff);
        });
    }

    /** {@code ::ffff:a.b.c.d}: "IPv4-mapped IPv6 address is not allowed" (Kubernetes CEL parseCIDR). */
    private static boolean isIpv4Mapped(String address) {
        return IpAddress.parse(address).map(ip -> ip.ipv6() && ip.value().shiftRight(32).intValue() == 0xffff
                && ip.value().shiftRight(48).signum() == 0).orElse(false);
    }
}
