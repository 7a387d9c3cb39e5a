package dev.stockade.agent.dataplane;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole desired content of {@code table inet stockade}: sets and maps by name, chains by name,
 * each in rendering order. Two tables are equal when they would load the same ruleset, so the
 * incremental script is the difference of two of these.
 */
public record NftTable(Map<String, NftSet> sets, Map<String, NftChain> chains) {

    /** nft family and name of the one table Stockade owns; nothing else on the node is touched. */
    public static final String FAMILY = "inet";
    public static final String NAME = "stockade";
    /** {@code inet stockade}, as commands address it. */
    public static final String QUALIFIED = FAMILY + " " + NAME;

    public NftTable {
        sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets));
        chains = Collections.unmodifiableMap(new LinkedHashMap<>(chains));
    }

    /** Total number of set and map elements: what dominates load time. */
    public int elementCount() {
        return sets.values().stream().mapToInt(set -> set.elements().size()).sum();
    }

    /** Total number of rules in all chains. */
    public int ruleCount() {
        return chains.values().stream().mapToInt(chain -> chain.rules().size()).sum();
    }
}
