package dev.stockade.core.policy;

import java.math.BigInteger;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address as an unsigned integer. Parsing is literal-only: no name lookups.
 */
public record IpAddress(boolean ipv6, BigInteger value) implements Comparable<IpAddress> {

    /** 32 for IPv4, 128 for IPv6. */
    public int bits() {
        return ipv6 ? 128 : 32;
    }

    /** Parses a dotted IPv4 or a textual IPv6 address; empty when the text is neither. */
    public static Optional<IpAddress> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        return text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text);
    }

    private static Optional<IpAddress> parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return Optional.empty();
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return Optional.empty();
            }
            value = (value << 8) | octet;
        }
        return Optional.of(new IpAddress(false, BigInteger.valueOf(value)));
    }

    private static Optional<IpAddress> parseIpv6(String text) {
        int doubleColon = text.indexOf("::");
        if (doubleColon != text.lastIndexOf("::")) {
            return Optional.empty();
        }
        String[] head = doubleColon < 0 ? text.split(":", -1) : splitGroups(text.substring(0, doubleColon));
        String[] tail = doubleColon < 0 ? new String[0] : splitGroups(text.substring(doubleColon + 2));
        int missing = 8 - head.length - tail.length;
        if ((doubleColon < 0 && missing != 0) || (doubleColon >= 0 && missing < 1)) {
            return Optional.empty();
        }
        BigInteger value = BigInteger.ZERO;
        for (String group : head) {
            Integer parsed = parseGroup(group);
            if (parsed == null) {
                return Optional.empty();
            }
            value = value.shiftLeft(16).or(BigInteger.valueOf(parsed));
        }
        value = value.shiftLeft(16 * (doubleColon < 0 ? 0 : missing));
        for (String group : tail) {
            Integer parsed = parseGroup(group);
            if (parsed == null) {
                return Optional.empty();
            }
            value = value.shiftLeft(16).or(BigInteger.valueOf(parsed));
        }
        return Optional.of(new IpAddress(true, value));
    }

    private static String[] splitGroups(String text) {
        return text.isEmpty() ? new String[0] : text.split(":", -1);
    }

    private static Integer parseGroup(String group) {
        if (group.isEmpty() || group.length() > 4) {
            return null;
        }
        try {
            return Integer.parseInt(group, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public int compareTo(IpAddress other) {
        int family = Boolean.compare(ipv6, other.ipv6);
        return family != 0 ? family : value.compareTo(other.value);
    }

    /** Dotted quad for IPv4; full lower-case groups without compression for IPv6. */
    @Override
    public String toString() {
        if (!ipv6) {
            long v = value.longValue();
            return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
        }
        StringBuilder text = new StringBuilder();
        for (int group = 7; group >= 0; group--) {
            text.append(Integer.toHexString(value.shiftRight(group * 16).intValue() & 0xffff));
            if (group > 0) {
                text.append(':');
            }
        }
        return text.toString();
    }
}
