package dev.stockade.agent.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Listings of equal tables compare equal whatever order the kernel lists them in; a real difference shows. */
class TableListingTest {

    private static final String LOADED_AT_ONCE = """
            table inet stockade {
            \tset a-4 {
            \t\ttype ipv4_addr
            \t\telements = { 10.0.0.1, 10.0.0.2,
            \t\t\t     10.0.0.3 }
            \t}

            \tchain forward {
            \t\ttype filter hook forward priority filter; policy accept;
            \t\tct state established,related accept
            \t\tip daddr vmap @ingress-4
            \t}

            \tchain in-x/a {
            \t\tcomment "x/a"
            \t\tip saddr @a-4 accept
            \t\tcounter drop
            \t}
            }
            """;

    /** The same table grown by deltas: chains and sets in creation order, elements in hash order. */
    private static final String GROWN_BY_DELTAS = """
            table inet stockade {
            \tchain in-x/a {
            \t\tcomment "x/a"
            \t\tip saddr @a-4 accept
            \t\tcounter drop
            \t}

            \tset a-4 {
            \t\ttype ipv4_addr
            \t\telements = { 10.0.0.3, 10.0.0.1, 10.0.0.2 }
            \t}

            \tchain forward {
            \t\ttype filter hook forward priority filter; policy accept;
            \t\tct state established,related accept
            \t\tip daddr vmap @ingress-4
            \t}
            }
            """;

    /** nft lists a base chain's comment before its hook line. */
    @Test
    void aBaseChainsHookIsFoundAfterItsComment() {
        String commented = LOADED_AT_ONCE.replace("\t\ttype filter hook forward priority filter; policy accept;\n",
                "\t\tcomment \"base\"\n\t\ttype filter hook forward priority filter; policy accept;\n");
        TableListing listing = TableListing.parse(commented);
        assertEquals(Map.of("forward", "type filter hook forward priority filter; policy accept;"), listing.hooks());
        assertEquals(TableListing.parse(commented.replace(
                "\t\ttype filter hook forward priority filter; policy accept;\n", "")).withHooks(listing.hooks()), listing);
    }

    @Test
    void theOrderOfBlocksAndOfSetElementsDoesNotMatter() {
        assertEquals(TableListing.parse(LOADED_AT_ONCE), TableListing.parse(GROWN_BY_DELTAS));
    }

    @Test
    void aMissingElementARuleOutOfOrderOrAnotherHookIsADifference() {
        TableListing listing = TableListing.parse(LOADED_AT_ONCE);
        assertNotEquals(listing, TableListing.parse(LOADED_AT_ONCE.replace("10.0.0.1, ", "")));
        assertNotEquals(listing, TableListing.parse(LOADED_AT_ONCE.replace("\t\tip saddr @a-4 accept\n\t\tcounter drop\n",
                "\t\tcounter drop\n\t\tip saddr @a-4 accept\n")));
        assertNotEquals(listing, TableListing.parse(LOADED_AT_ONCE.replace("policy accept", "policy drop")));
    }

    @Test
    void theHookLineIsKeptApartSoAHooklessCopyComparesWithTheHooksOfTheModel() {
        TableListing hookless = TableListing.parse(LOADED_AT_ONCE.replace(
                "\t\ttype filter hook forward priority filter; policy accept;\n", "").replace("stockade", "stockade-check"));
        assertEquals(Map.of(), hookless.hooks());
        assertEquals(Map.of("forward", "type filter hook forward priority filter; policy accept;"),
                TableListing.parse(LOADED_AT_ONCE).hooks());
        assertEquals(TableListing.parse(LOADED_AT_ONCE),
                hookless.withHooks(Map.of("forward", "type filter hook forward priority filter; policy accept;")));
    }
}
