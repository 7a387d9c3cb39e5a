package dev.stockade.agent.dataplane;

import dev.stockade.core.policy.Cidr;
import dev.stockade.core.policy.IpAddress;
import java.math.BigInteger;

/**
 * A closed interval {@code first..last} of addresses of one family, as unsigned integers
 * ({@code first <= last}). An nftables interval-set element is one such range.
 */
public record AddressRange(boolean ipv6, BigInteger first, BigInteger last) implements Comparable<AddressRange> {

    public AddressRange {
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("range " + first + ".." + last + " is empty");
        }
    }

    /** The addresses of a CIDR. */
    public static AddressRange of(Cidr cidr) {
        return new AddressRange(cidr.ipv6(), cidr.first(), cidr.last());
    }

    /** True when the two ranges share an address or touch ({@code a.last + 1 == b.first}). */
    boolean overlapsOrTouches(AddressRange other) {
        return ipv6 == other.ipv6
                && first.compareTo(other.last.add(BigInteger.ONE)) <= 0
                && other.first.compareTo(last.add(BigInteger.ONE)) <= 0;
    }

    /** nft element text: {@code 10.0.0.1} for one address, {@code 10.0.0.0-10.0.0.255} otherwise. */
    public String toNft() {
        String from = new IpAddress(ipv6, first).toString();
        return first.equals(last) ? from : from + "-" + new IpAddress(ipv6, last);
    }

    @Override
    public int compareTo(AddressRange other) {
        int family = Boolean.compare(ipv6, other.ipv6);
        if (family != 0) {
            return family;
        }
        int start = first.compareTo(other.first);
        return start != 0 ? start : last.compareTo(other.last);
    }

    @Override
    public String toString() {
        return toNft();
    }
}
