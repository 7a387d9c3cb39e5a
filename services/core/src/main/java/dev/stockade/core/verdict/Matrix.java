package dev.stockade.core.verdict;

import dev.stockade.core.engine.ClusterState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The connectivity matrix: every ordered pair of pods with an IP (self pairs included), every probe. */
public final class Matrix {

    private Matrix() {
    }

    /** Pods with an IP, sorted by {@code ns/name}. */
    public static List<Endpoint> endpoints(ClusterState state) {
        return state.pods().values().stream().map(Endpoint::of).flatMap(Optional::stream)
                .sorted(Comparator.comparing(Endpoint::pod)).toList();
    }

    /** Verdicts ordered by from, to, then probe order. */
    public static List<Verdict> compute(List<Endpoint> endpoints, List<Probe> probes, VerdictEvaluator evaluator) {
        List<Verdict> verdicts = new ArrayList<>();
        for (Endpoint from : endpoints) {
            for (Endpoint to : endpoints) {
                for (Probe probe : probes) {
                    verdicts.add(new Verdict(from.pod(), to.pod(), probe.protocol(), probe.port(),
                            evaluator.allowed(from, to, probe)));
                }
            }
        }
        return verdicts;
    }
}
