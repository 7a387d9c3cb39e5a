package dev.stockade.cli;

import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.Verdict;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matrices side by side for the demo, one block per probe: rows are sources (numbered, with their
 * names), columns destinations (by number), {@code .} allowed, {@code X} denied (MatrixTable's
 * notation), {@code -} a cell the matrix does not hold (not probed: a self pair or SCTP).
 * Numbered columns keep two 5-pod matrices within 80 characters.
 */
final class MatrixGrid {

    /** One matrix to show: a title and its verdicts. */
    record Column(String title, List<Verdict> verdicts) {
    }

    private MatrixGrid() {
    }

    static String render(List<Endpoint> endpoints, List<Probe> probes, List<Column> columns) {
        int nameWidth = Math.max(8, endpoints.stream().mapToInt(e -> e.pod().length()).max().orElse(0)) + 4;
        int cellWidth = String.valueOf(endpoints.size()).length() + 1;
        int gridWidth = Math.max(endpoints.size() * cellWidth, 10);
        StringBuilder text = new StringBuilder();
        for (Probe probe : probes) {
            text.append(probe).append("  (rows: from, columns: to; . allowed, X denied, - not probed)\n");
            text.append(pad("", nameWidth));
            columns.forEach(column -> text.append(pad(column.title(), Math.max(gridWidth, column.title().length()) + 3)));
            text.append('\n').append(pad("", nameWidth));
            for (Column column : columns) {
                StringBuilder numbers = new StringBuilder();
                for (int i = 1; i <= endpoints.size(); i++) {
                    numbers.append(pad(String.valueOf(i), cellWidth));
                }
                text.append(pad(numbers.toString(), Math.max(gridWidth, column.title().length()) + 3));
            }
            text.append('\n');
            for (int row = 0; row < endpoints.size(); row++) {
                Endpoint from = endpoints.get(row);
                text.append(pad(pad(String.valueOf(row + 1), cellWidth) + from.pod(), nameWidth));
                for (Column column : columns) {
                    Map<String, Boolean> cells = cells(column.verdicts());
                    StringBuilder grid = new StringBuilder();
                    for (Endpoint to : endpoints) {
                        Boolean allowed = cells.get(from.pod() + " " + to.pod() + " " + probe);
                        grid.append(pad(allowed == null ? "-" : allowed ? "." : "X", cellWidth));
                    }
                    text.append(pad(grid.toString(), Math.max(gridWidth, column.title().length()) + 3));
                }
                text.append('\n');
            }
        }
        return text.toString().replaceAll(" +\n", "\n");
    }

    private static Map<String, Boolean> cells(List<Verdict> verdicts) {
        Map<String, Boolean> cells = new HashMap<>();
        verdicts.forEach(v -> cells.put(v.from() + " " + v.to() + " " + v.port() + "/" + v.protocol(), v.allowed()));
        return cells;
    }

    private static String pad(String text, int width) {
        return String.format("%-" + width + "s", text);
    }
}
