package dev.stockade.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code stockade status} table, kubectl style: KIND, NAMESPACE, NAME, NODES (in the span),
 * REALIZED (nodes where the current version is in force), GENERATION (the generation at which the
 * nodes got the current version: one number, or the range when nodes differ — generations count per
 * node) and PENDING (the first nodes not yet realized).
 */
final class StatusTable {

    private static final int PENDING_SHOWN = 3;

    private StatusTable() {
    }

    static void print(List<RealizationView.PolicyRealization> policies, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KIND", "NAMESPACE", "NAME", "NODES", "REALIZED", "GENERATION", "PENDING"});
        for (RealizationView.PolicyRealization policy : policies) {
            rows.add(new String[] {policy.policy().kind(), policy.policy().namespace(), policy.policy().name(),
                String.valueOf(policy.nodes().size()), policy.realizedCount() + "/" + policy.nodes().size(),
                generations(policy), pending(policy)});
        }
        int[] widths = new int[rows.get(0).length];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 3) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String generations(RealizationView.PolicyRealization policy) {
        long min = policy.nodes().stream().mapToLong(RealizationView.NodeRealization::generation).min().orElse(0);
        long max = policy.nodes().stream().mapToLong(RealizationView.NodeRealization::generation).max().orElse(0);
        return min == max ? String.valueOf(min) : min + "-" + max;
    }

    private static String pending(RealizationView.PolicyRealization policy) {
        List<String> pending = policy.nodes().stream().filter(node -> !node.realized())
                .map(RealizationView.NodeRealization::node).toList();
        if (pending.isEmpty()) {
            return "-";
        }
        String shown = String.join(",", pending.subList(0, Math.min(PENDING_SHOWN, pending.size())));
        return pending.size() > PENDING_SHOWN ? shown + ",+" + (pending.size() - PENDING_SHOWN) : shown;
    }
}
