package dev.stockade.core.policy;

import java.math.BigInteger;
import java.util.Optional;

/**
 * An IPv4 or IPv6 CIDR, normalised to its network address ({@code 10.0.0.7/24} is
 * {@code 10.0.0.0/24}). Addresses are compared as unsigned integers of 32 or 128 bits.
 */
public record Cidr(boolean ipv6, BigInteger first, BigInteger last, int prefixLength) implements Comparable<Cidr> {

    /** Parses {@code a.b.c.d/n} or an IPv6 {@code x:y::/n}; empty when the text is not a CIDR. */
    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        Optional<IpAddress> address = IpAddress.parse(text.substring(0, slash));
        Integer prefix = parsePrefix(text.substring(slash + 1));
        if (address.isEmpty() || prefix == null || prefix > address.get().bits()) {
            return Optional.empty();
        }
        return Optional.of(of(address.get(), prefix));
    }

    /** The CIDR of {@code prefixLength} bits around an address. */
    public static Cidr of(IpAddress address, int prefixLength) {
        int hostBits = address.bits() - prefixLength;
        BigInteger hostMask = BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE);
        BigInteger first = address.value().andNot(hostMask);
        return new Cidr(address.ipv6(), first, first.or(hostMask), prefixLength);
    }

    private static Integer parsePrefix(String text) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.parseInt(text);
    }

    /** True if the address lies in this CIDR (same family). */
    public boolean contains(IpAddress address) {
        return address.ipv6() == ipv6 && address.value().compareTo(first) >= 0 && address.value().compareTo(last) <= 0;
    }

    /** True if the other CIDR lies entirely inside this one. */
    public boolean contains(Cidr other) {
        return other.ipv6 == ipv6 && other.first.compareTo(first) >= 0 && other.last.compareTo(last) <= 0;
    }

    @Override
    public int compareTo(Cidr other) {
        int family = Boolean.compare(ipv6, other.ipv6);
        if (family != 0) {
            return family;
        }
        int start = first.compareTo(other.first);
        return start != 0 ? start : Integer.compare(prefixLength, other.prefixLength);
    }

    /** Canonical text, e.g. {@code 10.0.0.0/24}. */
    @Override
    public String toString() {
        return new IpAddress(ipv6, first).toString() + "/" + prefixLength;
    }
}
