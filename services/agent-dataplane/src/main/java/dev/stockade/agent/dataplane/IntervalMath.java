package dev.stockade.agent.dataplane;

import dev.stockade.core.policy.Cidr;
import dev.stockade.core.policy.IpBlock;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Interval arithmetic on address ranges, so that {@code ipBlock} with {@code except} holes can be
 * loaded into an nftables interval set.
 *
 * <p>Why: an interval set rejects overlapping elements ("conflicting intervals"), and with
 * {@code auto-merge} it silently swallows a hole inside a larger CIDR. So the agent subtracts the
 * holes itself and loads disjoint ranges. Every result here is sorted, disjoint and non-adjacent
 * (adjacent ranges are merged), which is exactly what an interval set accepts.
 */
public final class IntervalMath {

    private IntervalMath() {
    }

    /** The addresses of an ipBlock: its CIDR minus every except hole. */
    public static List<AddressRange> of(IpBlock block) {
        return subtract(List.of(AddressRange.of(block.cidr())), block.except().stream().map(AddressRange::of).toList());
    }

    /** The addresses in any of the blocks (each minus its own holes), as disjoint ranges. */
    public static List<AddressRange> ofBlocks(Collection<IpBlock> blocks) {
        List<AddressRange> all = new ArrayList<>();
        blocks.forEach(block -> all.addAll(of(block)));
        return union(all);
    }

    /** Sorted, merged ranges covering exactly the addresses of the input ranges. */
    public static List<AddressRange> union(Collection<AddressRange> ranges) {
        List<AddressRange> sorted = ranges.stream().sorted().toList();
        List<AddressRange> merged = new ArrayList<>();
        for (AddressRange range : sorted) {
            int lastIndex = merged.size() - 1;
            if (lastIndex >= 0 && merged.get(lastIndex).overlapsOrTouches(range)) {
                AddressRange previous = merged.get(lastIndex);
                merged.set(lastIndex, new AddressRange(previous.ipv6(), previous.first(), previous.last().max(range.last())));
            } else {
                merged.add(range);
            }
        }
        return List.copyOf(merged);
    }

    /** The addresses of {@code ranges} that are in none of {@code holes}. */
    public static List<AddressRange> subtract(Collection<AddressRange> ranges, Collection<AddressRange> holes) {
        List<AddressRange> remaining = union(ranges);
        for (AddressRange hole : union(holes)) {
            List<AddressRange> next = new ArrayList<>();
            remaining.forEach(range -> next.addAll(cut(range, hole)));
            remaining = next;
        }
        return List.copyOf(remaining);
    }

    /** What is left of one range after removing one hole: nothing, one piece, or two pieces. */
    static List<AddressRange> cut(AddressRange range, AddressRange hole) {
        if (range.ipv6() != hole.ipv6() || hole.last().compareTo(range.first()) < 0 || hole.first().compareTo(range.last()) > 0) {
            return List.of(range);
        }
        List<AddressRange> pieces = new ArrayList<>(2);
        if (hole.first().compareTo(range.first()) > 0) {
            pieces.add(new AddressRange(range.ipv6(), range.first(), hole.first().subtract(BigInteger.ONE)));
        }
        if (hole.last().compareTo(range.last()) < 0) {
            pieces.add(new AddressRange(range.ipv6(), hole.last().add(BigInteger.ONE), range.last()));
        }
        return pieces;
    }

    /** Convenience for tests and callers holding CIDR text. */
    static AddressRange range(String cidr) {
        return AddressRange.of(Cidr.parse(cidr).orElseThrow(() -> new IllegalArgumentException("not a CIDR: " + cidr)));
    }
}
