package dev.stockade.agent.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.core.policy.Cidr;
import dev.stockade.core.policy.IpBlock;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The interval subtraction that turns {@code ipBlock.except} into loadable ranges. */
class IntervalMathTest {

    record Case(String name, String cidr, List<String> except, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> blocks() {
        return Stream.of(
                new Case("a block without holes is its CIDR", "10.0.0.0/8", List.of(), List.of("10.0.0.0-10.255.255.255")),
                new Case("a /32 hole in the middle splits the block in two", "10.244.1.0/24", List.of("10.244.1.12/32"),
                        List.of("10.244.1.0-10.244.1.11", "10.244.1.13-10.244.1.255")),
                new Case("a hole at the start leaves the tail", "10.0.0.0/24", List.of("10.0.0.0/25"),
                        List.of("10.0.0.128-10.0.0.255")),
                new Case("a hole at the end leaves the head", "10.0.0.0/24", List.of("10.0.0.128/25"),
                        List.of("10.0.0.0-10.0.0.127")),
                new Case("a hole equal to the block leaves nothing", "10.0.0.0/24", List.of("10.0.0.0/24"), List.of()),
                new Case("nested holes subtract once", "10.0.0.0/16", List.of("10.0.1.0/24", "10.0.1.7/32"),
                        List.of("10.0.0.0-10.0.0.255", "10.0.2.0-10.0.255.255")),
                new Case("adjacent holes leave no sliver between them", "10.0.0.0/24", List.of("10.0.0.0/26", "10.0.0.64/26"),
                        List.of("10.0.0.128-10.0.0.255")),
                new Case("a one-address remainder is written as an address", "10.0.0.0/30", List.of("10.0.0.0/31", "10.0.0.3/32"),
                        List.of("10.0.0.2")),
                new Case("the whole IPv4 space minus one address", "0.0.0.0/0", List.of("10.244.1.12/32"),
                        List.of("0.0.0.0-10.244.1.11", "10.244.1.13-255.255.255.255")),
                new Case("IPv6 holes are subtracted the same way", "fd00::/64", List.of("fd00::/128"),
                        List.of("fd00:0:0:0:0:0:0:1-fd00:0:0:0:ffff:ffff:ffff:ffff")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void subtractsExceptHolesIntoRanges(Case c) {
        IpBlock block = new IpBlock(cidr(c.cidr()), c.except().stream().map(IntervalMathTest::cidr).toList());
        assertEquals(c.expected(), IntervalMath.of(block).stream().map(AddressRange::toNft).toList());
    }

    record UnionCase(String name, List<String> cidrs, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<UnionCase> unions() {
        return Stream.of(
                new UnionCase("overlapping ranges merge", List.of("10.0.0.0/16", "10.0.1.0/24"), List.of("10.0.0.0-10.0.255.255")),
                new UnionCase("touching ranges merge (an interval set rejects neither, but stays minimal)",
                        List.of("10.0.0.0/25", "10.0.0.128/25"), List.of("10.0.0.0-10.0.0.255")),
                new UnionCase("disjoint ranges stay apart, sorted", List.of("10.2.0.0/16", "10.0.0.0/16"),
                        List.of("10.0.0.0-10.0.255.255", "10.2.0.0-10.2.255.255")),
                new UnionCase("families never merge", List.of("0.0.0.0/0", "::/0"),
                        List.of("0.0.0.0-255.255.255.255", "0:0:0:0:0:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unions")
    void unionsAreSortedAndDisjoint(UnionCase c) {
        List<AddressRange> ranges = c.cidrs().stream().map(IntervalMath::range).toList();
        assertEquals(c.expected(), IntervalMath.union(ranges).stream().map(AddressRange::toNft).toList());
    }

    @org.junit.jupiter.api.Test
    void aBlockExceptedInOneRuleIsStillAllowedWhenAnotherBlockOfTheRuleCoversIt() {
        IpBlock withHole = new IpBlock(cidr("10.244.0.0/16"), List.of(cidr("10.244.1.12/32")));
        IpBlock exact = new IpBlock(cidr("10.244.1.12/32"), List.of());
        assertEquals(List.of("10.244.0.0-10.244.255.255"),
                IntervalMath.ofBlocks(Arrays.asList(withHole, exact)).stream().map(AddressRange::toNft).toList());
    }

    private static Cidr cidr(String text) {
        return Cidr.parse(text).orElseThrow();
    }
}
