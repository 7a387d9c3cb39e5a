package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.model.Protocol;
import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's output for people: the matrices side by side, the difference, and the line per change. */
class DemoReportTest {

    private static final List<Endpoint> PODS = List.of(new Endpoint("x/a", "n1", "10.0.0.1"), new Endpoint("x/b", "n2", "10.0.0.2"));
    private static final List<Probe> PROBES = List.of(new Probe(80, Protocol.TCP));
    private static final List<Verdict> COMPUTED = List.of(cell("x/a", "x/a", false), cell("x/a", "x/b", true),
            cell("x/b", "x/a", false), cell("x/b", "x/b", true));

    private static Verdict cell(String from, String to, boolean allowed) {
        return new Verdict(from, to, Protocol.TCP, 80, allowed);
    }

    @Test
    void measuredAndComputedStandSideBySideWithUnprobedSelfPairsAsDashes() {
        DemoSession.Matrices matrices = new DemoSession.Matrices(PODS, COMPUTED,
                List.of(cell("x/a", "x/b", true), cell("x/b", "x/a", false)));
        String text = DemoReport.matrices(matrices, PROBES, true);
        String collapsed = text.replaceAll(" +", " ");
        assertTrue(collapsed.contains(" measured (real packets) computed (stockade matrix)\n"), text);
        assertTrue(collapsed.contains("\n1 x/a - . X .\n2 x/b X - X .\n"), text);
        assertTrue(text.contains("difference: none — 2 cells measured agree"), text);
    }

    @Test
    void aCellMeasuredOtherwiseThanComputedIsNamed() {
        DemoSession.Matrices matrices = new DemoSession.Matrices(PODS, COMPUTED,
                List.of(cell("x/a", "x/b", true), cell("x/b", "x/a", true)));
        assertEquals(List.of(cell("x/b", "x/a", true)), DemoSession.difference(matrices));
        assertTrue(DemoReport.difference(matrices, true).contains("80/TCP x/b -> x/a: measured allowed, computed denied"),
                DemoReport.difference(matrices, true));
    }

    @Test
    void aChangeIsOneLineThenTheFlippedCells() {
        DemoSession.Matrices matrices = new DemoSession.Matrices(PODS, COMPUTED,
                List.of(cell("x/a", "x/b", true), cell("x/b", "x/a", false)));
        List<Verdict> flipped = DemoSession.changed(List.of(cell("x/a", "x/b", false), cell("x/b", "x/a", false)),
                matrices.observed());
        String text = DemoReport.change(Instant.parse("2026-12-05T12:00:00Z"), List.of("modified NetworkPolicy x/deny"),
                Map.of("n2", 4L), Duration.ofMillis(210), List.of(), matrices, flipped, PROBES, true);
        String first = text.substring(0, text.indexOf('\n'));
        assertTrue(first.endsWith("modified NetworkPolicy x/deny | deltas: n2 g4 | enforced on all in 210 ms (saved -> last ACK)"
                + " | probes: 2 cells agree with the computed matrix"), first);
        assertTrue(text.contains("\n  flipped 80/TCP x/a -> x/b: now allowed (was denied)\n"), text);
    }
}
