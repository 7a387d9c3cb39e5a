package dev.stockade.agent.dataplane;

import java.util.List;

/**
 * One chain of the Stockade table. {@code hook} is the base-chain header
 * ({@code type filter hook forward priority filter; policy accept;}), null for a regular chain
 * that is only reached by jumps. {@code comment} says what the chain is for (null for none).
 * {@code rules} are nft rule texts in evaluation order; empty means the chain does nothing.
 */
public record NftChain(String name, String hook, String comment, List<String> rules) {

    public NftChain {
        rules = List.copyOf(rules);
    }
}
