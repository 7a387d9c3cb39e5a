package dev.stockade.cli;

import dev.stockade.agent.dataplane.RecordingReconciler;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.engine.ClusterState;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.verdict.CompiledTierEvaluator;
import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Matrix;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.Verdict;
import dev.stockade.demo.EmbeddedSystem;
import dev.stockade.demo.PacketLab;
import dev.stockade.kube.ClusterLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One run of the demo: the {@link PacketLab} (when this machine can enforce) and the
 * {@link EmbeddedSystem} whose agents enforce on it, and the matrices: computed from the manifests as
 * {@code stockade matrix} does, and measured on real packets (or, not enforcing, computed from the
 * rules the agents hold). {@link #close()} removes everything and may be called from a shutdown hook
 * while the demo's thread still runs; it is idempotent.
 */
final class DemoSession implements AutoCloseable {

    /** A committed delta as the demo saw it arrive. */
    record SeenDelta(String node, long generation, Instant arrived) {
    }

    /**
     * Both matrices of one moment.
     *
     * @param endpoints the directory's pods with an address and a node, sorted
     * @param computed  {@code stockade matrix} on the directory: every cell
     * @param observed  real packets (probeable cells only) when enforcing; else the agents' rules, every cell
     */
    record Matrices(List<Endpoint> endpoints, List<Verdict> computed, List<Verdict> observed) {
    }

    private final Path manifests;
    private final List<Probe> probes;
    private final PacketLab lab;
    private final String notEnforcingReason;
    private final List<SeenDelta> deltas = new ArrayList<>();
    private EmbeddedSystem system;
    private boolean closed;

    private DemoSession(Path manifests, List<Probe> probes, PacketLab lab, String notEnforcingReason) {
        this.manifests = manifests;
        this.probes = probes;
        this.lab = lab;
        this.notEnforcingReason = notEnforcingReason;
    }

    /**
     * Builds the lab unless {@code cannotEnforce} says why not (or building it fails, which then is the
     * reason); {@link #start} then starts the system.
     */
    static DemoSession open(Path manifests, List<Probe> probes, Optional<String> cannotEnforce) {
        PacketLab lab = null;
        String reason = cannotEnforce.orElse(null);
        if (reason == null) {
            try {
                lab = PacketLab.build(pods(load(manifests).engine().state()), probes);
            } catch (RuntimeException e) {
                reason = "building the network namespaces failed: " + e.getMessage();
            }
        }
        return new DemoSession(manifests, probes, lab, reason);
    }

    /** Starts the broker, listener, compiler, dispatchers and agents; returns this. */
    synchronized DemoSession start(Consumer<NodeDelta> deltaLines) {
        PacketLab enforcing = lab;
        system = EmbeddedSystem.start(manifests, delta -> {
            synchronized (deltas) {
                deltas.add(new SeenDelta(delta.node(), delta.generation(), Instant.now()));
            }
            deltaLines.accept(delta);
        }, enforcing == null ? node -> new RecordingReconciler() : enforcing::reconciler);
        return this;
    }

    boolean enforcing() {
        return lab != null;
    }

    /** Why not enforcing; null when enforcing. */
    String notEnforcingReason() {
        return notEnforcingReason;
    }

    PacketLab lab() {
        return lab;
    }

    EmbeddedSystem system() {
        return system;
    }

    List<Probe> probes() {
        return probes;
    }

    /** Deltas that arrived at or after {@code since}. */
    List<SeenDelta> deltasSince(Instant since) {
        synchronized (deltas) {
            return deltas.stream().filter(delta -> !delta.arrived().isBefore(since)).toList();
        }
    }

    /**
     * The matrices now: the directory read afresh and computed; then, enforcing, pods added to the
     * directory wired and every probeable cell probed on real packets; else the agents' rules evaluated.
     */
    Matrices matrices() {
        ClusterLoader.Loaded loaded = load(manifests);
        List<Endpoint> endpoints = Matrix.endpoints(loaded.engine().state());
        List<Verdict> computed = Matrix.compute(endpoints, probes, new CompiledTierEvaluator(loaded.agents()::ruleSet));
        if (lab == null) {
            return new Matrices(endpoints, computed, Matrix.compute(endpoints, probes,
                    new CompiledTierEvaluator(system::agentRuleSet)));
        }
        lab.wire(pods(loaded.engine().state()));
        return new Matrices(endpoints, computed, lab.probe(endpoints, probes));
    }

    /** Cells where the observed matrix differs from the computed one. */
    static List<Verdict> difference(Matrices matrices) {
        return changed(matrices.computed(), matrices.observed());
    }

    /** The cells of {@code after} whose verdict differs from the same cell in {@code before} (cells in both only). */
    static List<Verdict> changed(List<Verdict> before, List<Verdict> after) {
        java.util.Map<String, Boolean> was = new java.util.HashMap<>();
        before.forEach(verdict -> was.put(cell(verdict), verdict.allowed()));
        List<Verdict> differing = new ArrayList<>();
        for (Verdict verdict : after) {
            Boolean previous = was.get(cell(verdict));
            if (previous != null && previous != verdict.allowed()) {
                differing.add(verdict);
            }
        }
        return differing;
    }

    static String cell(Verdict verdict) {
        return verdict.from() + " " + verdict.to() + " " + verdict.port() + "/" + verdict.protocol();
    }

    private static ClusterLoader.Loaded load(Path manifests) {
        return new ClusterLoader(warning -> { }).load(manifests, null);
    }

    /** The pods of the matrix (an address and a node), as the lab wires them. */
    private static List<PodInfo> pods(ClusterState state) {
        return Matrix.endpoints(state).stream().map(endpoint -> state.pods().get(endpoint.pod())).toList();
    }

    /** Stops the system, then removes the lab (namespaces, veths, nft tables, pod servers); idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }
}
