package dev.stockade.compiler;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * When the replicated state cannot be trusted, and where a rebuilt state's generations start.
 *
 * <p>The state is written before the Kafka commit of each batch, so a consistent state is never
 * behind the group's committed offset on {@code stockade.resources}. It is lost when every
 * replica restarted (or a new Infinispan cluster was started) while the offset survived in
 * Kafka: then {@code takeOver} would continue from an empty engine and every node would silently
 * keep wrong rules. Design decision 3 makes the compacted resources topic the source of truth:
 * the active replica rebuilds from it.
 *
 * <p>A rebuild starts a new <em>lineage</em> of generations: each node's rule set is published
 * whole (a snapshot) at a generation above any that node had before, so every consumer's existing
 * rule — a snapshot at a newer generation replaces, a delta at or below the current one is stale —
 * accepts it and nothing is skipped as stale. The old generations are lost with the state, so the
 * start is derived from the clock: {@code millis << 20}, above the first lineage's counters
 * (which start at 1) and above any earlier rebuild's lineage as long as that one produced fewer
 * than 2^20 (about a million) deltas per node per millisecond of its life, and as long as the
 * rebuilding replica's clock is not behind the previous rebuild's by more than that lineage's
 * life. Generations the state still knows (an inconsistent, not an empty, state) are exceeded too.
 * The epoch of a generation is its high part: {@code generation >>> 20}.
 */
final class StateLoss {

    /** A rebuild that cannot read the topic to its end within this gives up (the take-over fails). */
    static final Duration REBUILD_TIMEOUT = Duration.ofMinutes(10);

    /** Bits of a lineage's generation below its epoch. */
    static final int COUNTER_BITS = 20;

    private StateLoss() {
    }

    /**
     * Why the state must be rebuilt from the topic; empty when it can be restored from. Every
     * offset commit carries the owner token of the term that made it, and the state's checkpoint
     * names the term that wrote it: when they differ, the state and the published generations come
     * from two different histories (split brain: both sides of a JGroups partition owned their
     * side's state, and Kafka let only one of them publish), so the state cannot be trusted even
     * where its offset matches.
     */
    static Optional<String> check(ReplicatedState.Snapshot state, OffsetAndMetadata committed) {
        if (committed == null || committed.offset() == 0) {
            return Optional.empty();
        }
        if (state.isEmpty()) {
            return Optional.of("the replicated state is empty but the group committed offset " + committed.offset()
                    + " of stockade.resources (every compiler replica lost its memory)");
        }
        if (state.checkpoint().isPresent() && state.checkpoint().get().offset() + 1 < committed.offset()) {
            return Optional.of("the replicated state ends at offset " + state.checkpoint().get().offset()
                    + ", behind the committed offset " + committed.offset() + " of stockade.resources");
        }
        String committedBy = committed.metadata();
        if (state.checkpoint().isPresent() && committedBy != null && !committedBy.isEmpty()
                && !committedBy.equals(state.checkpoint().get().owner())) {
            return Optional.of("the replicated state was last written by " + state.checkpoint().get().owner()
                    + " but offset " + committed.offset() + " of stockade.resources was committed by " + committedBy
                    + " (two replicas were active on two sides of a partition, or one was fenced after its state write)");
        }
        return Optional.empty();
    }

    /** The first generation of a new lineage, above {@code known} generations and earlier lineages. */
    static long lineageStart(long nowMillis, Map<String, Long> known) {
        long fromClock = nowMillis << COUNTER_BITS;
        long aboveKnown = known.values().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
        return Math.max(fromClock, aboveKnown);
    }
}
