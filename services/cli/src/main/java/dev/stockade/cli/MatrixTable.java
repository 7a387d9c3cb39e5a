package dev.stockade.cli;

import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.Verdict;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The matrix as a grid for people, one block per probe: rows are sources, columns destinations,
 * {@code .} allowed and {@code X} denied (the upstream e2e suite's notation).
 */
final class MatrixTable {

    private MatrixTable() {
    }

    static String render(List<Endpoint> endpoints, List<Probe> probes, List<Verdict> verdicts) {
        return render(endpoints, endpoints, probes, verdicts);
    }

    /** Rows {@code sources}, columns {@code destinations} (a part of the matrix, {@code stockade matrix --from/--to}). */
    static String render(List<Endpoint> sources, List<Endpoint> destinations, List<Probe> probes, List<Verdict> verdicts) {
        Map<String, Boolean> cells = new HashMap<>();
        verdicts.forEach(v -> cells.put(key(v.from(), v.to(), v.port() + "/" + v.protocol()), v.allowed()));
        int width = Math.max(9, java.util.stream.Stream.concat(sources.stream(), destinations.stream())
                .mapToInt(e -> e.pod().length()).max().orElse(0) + 2);
        StringBuilder text = new StringBuilder();
        for (Probe probe : probes) {
            text.append(probe).append("  (. allowed, X denied)\n");
            text.append(pad("FROM\\TO", width));
            destinations.forEach(to -> text.append(pad(to.pod(), width)));
            text.append('\n');
            for (Endpoint from : sources) {
                text.append(pad(from.pod(), width));
                for (Endpoint to : destinations) {
                    boolean allowed = cells.getOrDefault(key(from.pod(), to.pod(), probe.toString()), false);
                    text.append(pad(allowed ? "." : "X", width));
                }
                text.append('\n');
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String key(String from, String to, String probe) {
        return from + " " + to + " " + probe;
    }

    private static String pad(String text, int width) {
        return String.format("%-" + width + "s", text);
    }
}
