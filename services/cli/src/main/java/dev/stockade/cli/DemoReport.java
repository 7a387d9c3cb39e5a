package dev.stockade.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

/** What the demo prints: the matrices, their difference, a line per change, the {@code --once} document. */
final class DemoReport {

    static final String NOT_PROBED = "self pairs (a pod's packets to itself never leave its network namespace, so no"
            + " node sees them) and SCTP (no SCTP sockets here) are not probed";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private DemoReport() {
    }

    /** The commands a person can try against the demo's broker. */
    static String tryCommands(String bootstrap, List<Probe> probes) {
        String probeList = probes.stream().map(Probe::toString).collect(Collectors.joining(","));
        return "  broker " + bootstrap + "; try, in another terminal:\n"
                + "    ./stockade replay --bootstrap " + bootstrap + " -o matrix --probe " + probeList + "\n"
                + "    ./stockade status --bootstrap " + bootstrap + "\n";
    }

    /** Both matrices side by side, then the difference. */
    static String matrices(DemoSession.Matrices matrices, List<Probe> probes, boolean enforcing) {
        String observed = enforcing ? "measured (real packets)" : "agents' rules";
        return MatrixGrid.render(matrices.endpoints(), probes, List.of(new MatrixGrid.Column(observed, matrices.observed()),
                new MatrixGrid.Column("computed (stockade matrix)", matrices.computed()))) + difference(matrices, enforcing);
    }

    /** {@code difference: none ...} or one line per differing cell. */
    static String difference(DemoSession.Matrices matrices, boolean enforcing) {
        List<Verdict> differing = DemoSession.difference(matrices);
        String what = enforcing ? "measured" : "from the agents' rules";
        if (differing.isEmpty()) {
            return "difference: none — " + matrices.observed().size() + " cells " + what + " agree with the computed matrix"
                    + (enforcing ? " (" + NOT_PROBED + ")" : "") + "\n";
        }
        StringBuilder text = new StringBuilder("DIFFERENCE: " + differing.size() + " cells " + what
                + " disagree with the computed matrix:\n");
        differing.forEach(cell -> text.append("  ").append(cell.port()).append('/').append(cell.protocol()).append(' ')
                .append(cell.from()).append(" -> ").append(cell.to()).append(": ").append(enforcing ? "measured " : "")
                .append(word(cell.allowed())).append(", computed ").append(word(!cell.allowed())).append('\n'));
        return text.toString();
    }

    /**
     * One line per change: when, what changed, which nodes got deltas (and their generations), and how
     * long from the save to the last affected node's ACK, whether the probes agree; then the cells
     * that flipped and, when any did, the matrices again.
     */
    static String change(Instant detected, List<String> changes, Map<String, Long> deltas, Duration enforcedIn,
                         List<String> notAcked, DemoSession.Matrices matrices, List<Verdict> flipped, List<Probe> probes,
                         boolean enforcing) {
        StringBuilder line = new StringBuilder(LocalTime.ofInstant(detected, ZoneId.systemDefault()).format(CLOCK)).append(' ')
                .append(String.join(", ", changes)).append(" | ");
        if (deltas.isEmpty()) {
            line.append("no node's rules changed");
        } else {
            line.append("deltas: ").append(deltas.entrySet().stream().map(e -> e.getKey() + " g" + e.getValue())
                    .collect(Collectors.joining(", "))).append(" | ");
            line.append(notAcked.isEmpty() ? (enforcing ? "enforced" : "applied") + " on all in " + enforcedIn.toMillis()
                    + " ms (saved -> last ACK)" : "no ACK yet from " + String.join(", ", notAcked));
        }
        List<Verdict> differing = DemoSession.difference(matrices);
        line.append(" | ").append(enforcing ? "probes: " : "rules: ").append(differing.isEmpty()
                ? matrices.observed().size() + " cells agree with the computed matrix" : differing.size() + " cells DIFFER");
        line.append('\n');
        if (flipped.isEmpty()) {
            line.append("  no cell flipped\n");
            return line.toString();
        }
        flipped.forEach(cell -> line.append("  flipped ").append(cell.port()).append('/').append(cell.protocol()).append(' ')
                .append(cell.from()).append(" -> ").append(cell.to()).append(": now ").append(word(cell.allowed()))
                .append(" (was ").append(word(!cell.allowed())).append(")\n"));
        line.append(matrices(matrices, probes, enforcing));
        return line.toString();
    }

    /** The {@code --once} document. */
    static ObjectNode document(DemoSession session, DemoSession.Matrices matrices, SortedMap<String, NodeRuleSet> rules) {
        ObjectNode root = CoreJson.compactJson().createObjectNode();
        root.put("enforced", session.enforcing());
        if (!session.enforcing()) {
            root.put("reason", session.notEnforcingReason());
        }
        root.set("rules", CoreJson.compactJson().valueToTree(rules));
        root.set("verdicts", MatrixCommand.document(matrices.computed()).get("verdicts"));
        if (session.enforcing()) {
            root.set("measured", MatrixCommand.document(matrices.observed()).get("verdicts"));
            root.put("notProbed", NOT_PROBED);
        }
        ArrayNode difference = root.putArray("difference");
        for (Verdict cell : DemoSession.difference(matrices)) {
            difference.addObject().put("from", cell.from()).put("to", cell.to()).put("protocol", cell.protocol().name())
                    .put("port", cell.port()).put(session.enforcing() ? "measured" : "agents", cell.allowed())
                    .put("computed", !cell.allowed());
        }
        return root;
    }

    private static String word(boolean allowed) {
        return allowed ? "allowed" : "denied";
    }
}
