package dev.stockade.cli;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.engine.ApplyResult;
import dev.stockade.core.engine.DeltaFold;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.verdict.CompiledTierEvaluator;
import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Matrix;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.Verdict;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.RuleDeltaRecord;
import dev.stockade.kube.ResourceRecordDecoder;
import java.util.List;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * Resource records, in offset order from the start of the log, through the same decoder and
 * engine as the compiler ({@code CompilerLoop}): a record that cannot be read (the compiler's
 * dead letters) or whose object is rejected is reported and skipped; every other record is
 * applied, so generations are the compiler's when it also started from offset 0.
 *
 * <p>It keeps the state just before offset {@code from} (the "from" point) and passes on the
 * deltas of records at or after {@code from}, each as the compiler publishes it: a
 * {@link RuleDeltaRecord} whose {@code sourceOffset} is the record's offset.
 */
final class Replayer {

    /**
     * The state at one point: the per-node rule sets agents would hold (nodes with nothing to
     * enforce are absent) and the pods with an IP, for the matrix.
     */
    record Snapshot(SortedMap<String, NodeRuleSet> ruleSets, List<Endpoint> endpoints) {

        /** A node's rule set; empty for a node with nothing to enforce. */
        NodeRuleSet ruleSet(String node) {
            return ruleSets.getOrDefault(node, NodeRuleSet.empty(node));
        }

        /** The matrix at this point, in {@link Matrix#compute} order. */
        List<Verdict> verdicts(List<Probe> probes) {
            return Matrix.compute(endpoints, probes, new CompiledTierEvaluator(this::ruleSet));
        }
    }

    private final ResourceRecordDecoder decoder = new ResourceRecordDecoder();
    private final Engine engine = new Engine();
    private final DeltaFold agents = new DeltaFold();
    private final long from;
    private final Consumer<String> warnings;
    private final Consumer<RuleDeltaRecord> deltas;
    private Snapshot atFrom;
    private long applied;
    private long skipped;

    /**
     * @param from     first offset of the range: the "from" state is taken just before it
     * @param warnings receives one line per skipped record or rejected object
     * @param deltas   receives the deltas of records at or after {@code from}
     */
    Replayer(long from, Consumer<String> warnings, Consumer<RuleDeltaRecord> deltas) {
        this.from = from;
        this.warnings = warnings;
        this.deltas = deltas;
    }

    /** Applies the next record of the log ({@code value} null = a tombstone). */
    void accept(long offset, String key, byte[] value) {
        if (atFrom == null && offset >= from) {
            atFrom = snapshot();
        }
        ResourceRecordDecoder.Decoded decoded = decoder.decode(key, value);
        String where = "offset " + offset + " key '" + key + "'";
        if (decoded.deadLetterReason().isPresent()) {
            skipped++;
            warnings.accept(where + ": skipped: " + decoded.deadLetterReason().get());
            return;
        }
        decoded.rejections().forEach(rejection -> warnings.accept(where + ": rejected: " + rejection));
        if (decoded.event().isEmpty()) {
            skipped++;
            return;
        }
        ApplyResult result = engine.apply(decoded.event().get());
        applied++;
        result.rejections().forEach(rejection -> warnings.accept(where + ": rejected: " + rejection));
        for (NodeDelta delta : result.deltas()) {
            agents.apply(delta);
            if (offset >= from) {
                deltas.accept(RuleDeltaCodec.toWire(delta, offset));
            }
        }
    }

    /** The state just before offset {@code from}; the current state when no record reached it. */
    Snapshot atFrom() {
        return atFrom != null ? atFrom : snapshot();
    }

    /** The state after every record accepted so far. */
    Snapshot snapshot() {
        return new Snapshot(agents.nonEmptyRuleSets(), Matrix.endpoints(engine.state()));
    }

    /** Records applied to the engine. */
    long applied() {
        return applied;
    }

    /** Records skipped: unreadable, or whose object was rejected. */
    long skipped() {
        return skipped;
    }
}
