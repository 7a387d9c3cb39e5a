package dev.stockade.agent.dataplane;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A table as {@code nft -s list table} prints it, reduced to what the kernel enforces, so that a
 * table built up by many deltas compares equal to the same table loaded in one piece.
 *
 * <p>Why: a restarted agent adopts the table the kernel still holds instead of replacing it, but
 * only when it is exactly the one the kept rule set renders to ({@link NftReconciler#adopt}). The
 * kernel lists sets and chains in the order they were created and set elements in hash order, so
 * two listings of equal tables differ in order only: blocks (one set, map or chain each) are
 * compared by name, a set's elements as a sorted list, a chain's rules in their order (rule order
 * is meaning). A base chain's {@code type … hook …} line is kept apart ({@link #hooks()}), so a
 * hook-less copy of the table (which cannot touch traffic) can be compared with the real one.
 * Counter values are not in the listing ({@code -s}).
 *
 * @param blocks each block's header ({@code set x}, {@code map x}, {@code chain x}) → its normalized
 *               body, without a hook line; empty for an empty table
 * @param hooks  each base chain's name → its hook line; empty when the table has no base chain
 */
public record TableListing(Map<String, String> blocks, Map<String, String> hooks) {

    public TableListing {
        blocks = Collections.unmodifiableMap(new TreeMap<>(blocks));
        hooks = Collections.unmodifiableMap(new TreeMap<>(hooks));
    }

    /** Parses {@code nft -s list table …} output (any table name). */
    public static TableListing parse(String listing) {
        Map<String, String> blocks = new TreeMap<>();
        Map<String, String> hooks = new TreeMap<>();
        String header = null;
        List<String> body = new ArrayList<>();
        for (String raw : listing.split("\n")) {
            String line = raw.strip();
            if (header == null) {
                if (raw.startsWith("\t") && !raw.startsWith("\t\t") && line.endsWith("{")) {
                    header = line.substring(0, line.length() - 1).strip();
                    body.clear();
                }
            } else if (raw.startsWith("\t}") || line.equals("}") && !raw.startsWith("\t\t")) {
                String hook = hookOf(body);
                if (hook != null) {
                    hooks.put(name(header), hook);
                }
                blocks.put(header, normalize(body));
                header = null;
            } else if (!line.isEmpty()) {
                body.add(line);
            }
        }
        return new TableListing(blocks, hooks);
    }

    /** The hook lines a table's base chains declare, as the listing prints them. */
    public static Map<String, String> hooksOf(NftTable table) {
        Map<String, String> hooks = new TreeMap<>();
        table.chains().values().stream().filter(chain -> chain.hook() != null)
                .forEach(chain -> hooks.put(chain.name(), chain.hook().strip()));
        return hooks;
    }

    /** This listing with other hook lines (a hook-less copy compared as the real table it copies). */
    public TableListing withHooks(Map<String, String> replacement) {
        return new TableListing(blocks, replacement);
    }

    /** The blocks (and base-chain hooks) in which this listing and {@code other} differ, by header; empty when equal. */
    public java.util.List<String> differences(TableListing other) {
        java.util.TreeSet<String> differ = new java.util.TreeSet<>();
        java.util.TreeSet<String> headers = new java.util.TreeSet<>(blocks.keySet());
        headers.addAll(other.blocks.keySet());
        headers.stream().filter(header -> !java.util.Objects.equals(blocks.get(header), other.blocks.get(header)))
                .forEach(differ::add);
        java.util.TreeSet<String> chains = new java.util.TreeSet<>(hooks.keySet());
        chains.addAll(other.hooks.keySet());
        chains.stream().filter(chain -> !java.util.Objects.equals(hooks.get(chain), other.hooks.get(chain)))
                .forEach(chain -> differ.add("hook of chain " + chain));
        return java.util.List.copyOf(differ);
    }

    /** Takes the hook line out of a chain's body: the first line, or the second after the chain's comment. */
    private static String hookOf(List<String> body) {
        int at = !body.isEmpty() && body.get(0).startsWith("comment ") ? 1 : 0;
        return body.size() > at && isHook(body.get(at)) ? body.remove(at) : null;
    }

    private static boolean isHook(String line) {
        return line.startsWith("type ") && line.contains(" hook ");
    }

    private static String name(String header) {
        int space = header.indexOf(' ');
        return space < 0 ? header : header.substring(space + 1);
    }

    /** Joins continuation lines of an {@code elements = { … }} list and sorts its elements. */
    private static String normalize(List<String> body) {
        List<String> out = new ArrayList<>();
        StringBuilder elements = null;
        for (String line : body) {
            if (elements == null && line.startsWith("elements = {")) {
                elements = new StringBuilder(line.substring("elements = {".length()));
            } else if (elements != null) {
                elements.append(' ').append(line);
            } else {
                out.add(line);
            }
            if (elements != null && elements.toString().strip().endsWith("}")) {
                String inner = elements.toString().strip();
                List<String> items = new ArrayList<>();
                for (String item : inner.substring(0, inner.length() - 1).split(",")) {
                    if (!item.isBlank()) {
                        items.add(item.strip().replaceAll("\\s+", " "));
                    }
                }
                Collections.sort(items);
                out.add("elements = { " + String.join(", ", items) + " }");
                elements = null;
            }
        }
        return String.join("\n", out);
    }
}
