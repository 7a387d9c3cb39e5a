package dev.stockade.core.policy;

import java.util.List;

/**
 * A validated {@code ipBlock}: addresses in {@code cidr} but in none of {@code except}. Every
 * except entry lies inside the cidr. "ipBlock matches pod IPs too" (the conformance model).
 */
public record IpBlock(Cidr cidr, List<Cidr> except) implements Comparable<IpBlock> {

    public IpBlock {
        except = except.stream().sorted().distinct().toList();
    }

    /** True if the address is in the block and in none of its holes. */
    public boolean contains(IpAddress address) {
        if (!cidr.contains(address)) {
            return false;
        }
        for (Cidr hole : except) {
            if (hole.contains(address)) {
                return false;
            }
        }
        return true;
    }

    /** {@code 10.0.0.0/16} or {@code 10.0.0.0/16 except 10.0.1.0/24,10.0.2.0/24}. */
    public String canonical() {
        return except.isEmpty() ? cidr.toString()
                : cidr + " except " + String.join(",", except.stream().map(Cidr::toString).toList());
    }

    @Override
    public int compareTo(IpBlock other) {
        return canonical().compareTo(other.canonical());
    }

    @Override
    public String toString() {
        return canonical();
    }
}
