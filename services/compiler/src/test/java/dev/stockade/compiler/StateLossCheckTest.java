package dev.stockade.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

/** When a take-over may restore from the replicated state, and when it must rebuild from the topic. */
class StateLossCheckTest {

    private static ReplicatedState.Snapshot state(String owner, long offset) {
        TreeMap<String, byte[]> resources = new TreeMap<>();
        resources.put("Pod/ns/p", new byte[] {1});
        return new ReplicatedState.Snapshot(resources, Map.of("n1", 7L),
                Optional.of(new Checkpoint(owner, offset, List.of())), false);
    }

    @Test
    void aStateWhoseLastBatchWasCommittedByItsOwnTermIsRestored() {
        assertEquals(Optional.empty(), StateLoss.check(state("a@1", 9), new OffsetAndMetadata(10, "a@1")));
    }

    @Test
    void aCheckpointAheadOfTheCommittedOffsetOfItsOwnTermIsResent() {
        assertEquals(Optional.empty(), StateLoss.check(state("a@1", 12), new OffsetAndMetadata(10, "a@1")));
    }

    @Test
    void offsetsCommittedWithoutAnOwnerAreNotCompared() {
        assertEquals(Optional.empty(), StateLoss.check(state("a@1", 9), new OffsetAndMetadata(10)));
    }

    @Test
    void aStateWrittenByAnotherTermThanTheCommittedOffsetsIsRebuiltEvenWhereTheOffsetsMatch() {
        Optional<String> why = StateLoss.check(state("a@1", 9), new OffsetAndMetadata(10, "b@2"));
        assertTrue(why.isPresent() && why.get().contains("committed by b@2"), String.valueOf(why));
    }

    @Test
    void aZombiesCheckpointAheadOfAnotherTermsCommitIsNotResent() {
        assertTrue(StateLoss.check(state("a@1", 12), new OffsetAndMetadata(10, "b@2")).isPresent());
    }

    @Test
    void aStateBehindTheCommittedOffsetIsRebuilt() {
        assertTrue(StateLoss.check(state("a@1", 5), new OffsetAndMetadata(10, "a@1")).isPresent());
    }

    @Test
    void anEmptyStateWithACommittedOffsetIsRebuilt() {
        assertTrue(StateLoss.check(new ReplicatedState.Snapshot(new TreeMap<>(), Map.of(), Optional.empty(), false),
                new OffsetAndMetadata(10, "a@1")).isPresent());
    }
}
