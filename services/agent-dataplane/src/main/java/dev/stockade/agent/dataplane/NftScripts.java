package dev.stockade.agent.dataplane;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * nft scripts for one {@code nft -f} transaction: a full snapshot that replaces the table, or the
 * incremental difference between the table the kernel has and the one wanted.
 *
 * <p>Snapshot: {@code table inet stockade} (creates it if missing), {@code delete table inet
 * stockade}, then the whole table. The kernel commits all of it or nothing, so there is no
 * moment without rules: an isolated pod is never open during a reload.
 *
 * <p>Delta, in an order the kernel accepts within one transaction: element deletions of kept
 * sets, new sets, element additions, new chains, rules of new and changed chains (a changed chain
 * is flushed and refilled: chains are small, sets are not), verdict-map changes, then deletion of
 * chains and sets nothing references any more (garbage collection of deleted pods and policies).
 * A set is never flushed and refilled: only the elements that differ are deleted or added.
 */
public final class NftScripts {

    private static final String TABLE = NftTable.QUALIFIED;

    private NftScripts() {
    }

    /** The atomic full replacement of the table. */
    public static String snapshot(NftTable table) {
        StringBuilder script = new StringBuilder();
        script.append("table ").append(TABLE).append('\n');
        script.append("delete table ").append(TABLE).append('\n');
        script.append("table ").append(TABLE).append(" {\n");
        table.sets().values().forEach(set -> appendSet(script, set));
        table.chains().values().forEach(chain -> appendChain(script, chain));
        script.append("}\n");
        return script.toString();
    }

    /** The commands that turn table {@code before} (what the kernel has) into {@code after}; empty when equal. */
    public static String delta(NftTable before, NftTable after) {
        List<String> lines = new ArrayList<>();
        after.sets().values().stream().filter(set -> !set.isMap()).forEach(set -> setChanges(before.sets().get(set.name()), set, lines, true));
        after.sets().values().stream().filter(set -> !set.isMap()).forEach(set -> setChanges(before.sets().get(set.name()), set, lines, false));
        chainChanges(before, after, lines);
        after.sets().values().stream().filter(NftSet::isMap).forEach(map -> setChanges(before.sets().get(map.name()), map, lines, true));
        after.sets().values().stream().filter(NftSet::isMap).forEach(map -> setChanges(before.sets().get(map.name()), map, lines, false));
        before.chains().keySet().stream().filter(name -> !after.chains().containsKey(name))
                .forEach(name -> lines.add("delete chain " + TABLE + " " + name));
        before.sets().keySet().stream().filter(name -> !after.sets().containsKey(name))
                .forEach(name -> lines.add((before.sets().get(name).isMap() ? "delete map " : "delete set ") + TABLE + " " + name));
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    /**
     * One pass over a wanted set: the deletions (first pass) or the creation and additions
     * (second pass). A changed map value is a deletion plus an addition of the key.
     */
    private static void setChanges(NftSet had, NftSet wanted, List<String> lines, boolean deletions) {
        if (had != null && !had.declaration().equals(wanted.declaration())) {
            throw new IllegalArgumentException("set " + wanted.name() + " changed type; names must encode their type");
        }
        if (deletions) {
            if (had != null) {
                List<String> gone = had.elements().keySet().stream()
                        .filter(key -> !Objects.equals(had.elements().get(key), wanted.elements().get(key)) || !wanted.elements().containsKey(key))
                        .toList();
                addElements(lines, "delete element", wanted.name(), gone, null);
            }
            return;
        }
        if (had == null) {
            lines.add("add " + (wanted.isMap() ? "map " : "set ") + TABLE + " " + wanted.name() + " { " + wanted.declaration() + " }");
        }
        List<String> added = wanted.elements().keySet().stream()
                .filter(key -> had == null || !had.elements().containsKey(key)
                        || !Objects.equals(had.elements().get(key), wanted.elements().get(key)))
                .toList();
        addElements(lines, "add element", wanted.name(), added, wanted.elements());
    }

    private static void addElements(List<String> lines, String verb, String set, List<String> keys, Map<String, String> values) {
        if (keys.isEmpty()) {
            return;
        }
        List<String> texts = keys.stream().map(key -> NftSet.element(key, values == null ? null : values.get(key))).toList();
        lines.add(verb + " " + TABLE + " " + set + " { " + String.join(", ", texts) + " }");
    }

    private static void chainChanges(NftTable before, NftTable after, List<String> lines) {
        List<NftChain> refill = new ArrayList<>();
        for (NftChain chain : after.chains().values()) {
            NftChain had = before.chains().get(chain.name());
            if (had == null) {
                lines.add("add chain " + TABLE + " " + chain.name() + chainSpec(chain));
                refill.add(chain);
            } else if (!had.equals(chain)) {
                if (!Objects.equals(had.hook(), chain.hook()) || !Objects.equals(had.comment(), chain.comment())) {
                    throw new IllegalArgumentException("chain " + chain.name() + " changed its header; only rules change in a delta");
                }
                lines.add("flush chain " + TABLE + " " + chain.name());
                refill.add(chain);
            }
        }
        refill.forEach(chain -> chain.rules().forEach(rule -> lines.add("add rule " + TABLE + " " + chain.name() + " " + rule)));
    }

    private static String chainSpec(NftChain chain) {
        if (chain.hook() == null && chain.comment() == null) {
            return "";
        }
        StringBuilder spec = new StringBuilder(" { ");
        if (chain.hook() != null) {
            spec.append(chain.hook()).append(' ');
        }
        if (chain.comment() != null) {
            spec.append("comment \"").append(chain.comment()).append("\"; ");
        }
        return spec.append('}').toString();
    }

    private static void appendSet(StringBuilder script, NftSet set) {
        script.append('\t').append(set.isMap() ? "map " : "set ").append(set.name()).append(" {\n");
        script.append("\t\ttype ").append(set.keyType()).append(set.isMap() ? " : " + set.valueType() : "").append('\n');
        if (set.interval()) {
            script.append("\t\tflags interval\n");
        }
        if (!set.elements().isEmpty()) {
            List<String> texts = new ArrayList<>();
            set.elements().forEach((key, value) -> texts.add(NftSet.element(key, value)));
            script.append("\t\telements = { ").append(String.join(",\n\t\t\t     ", texts)).append(" }\n");
        }
        script.append("\t}\n");
    }

    private static void appendChain(StringBuilder script, NftChain chain) {
        script.append("\tchain ").append(chain.name()).append(" {\n");
        if (chain.hook() != null) {
            script.append("\t\t").append(chain.hook()).append('\n');
        }
        if (chain.comment() != null) {
            script.append("\t\tcomment \"").append(chain.comment()).append("\"\n");
        }
        chain.rules().forEach(rule -> script.append("\t\t").append(rule).append('\n'));
        script.append("\t}\n");
    }
}
