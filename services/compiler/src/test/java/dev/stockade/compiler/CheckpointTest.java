package dev.stockade.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    private static final Checkpoint CHECKPOINT = new Checkpoint("compiler-0@42", 1_234_567_890_123L, List.of(
            new Outputs.Output("stockade.rules", "node-1", "{\"generation\":7}".getBytes(StandardCharsets.UTF_8), "delta"),
            new Outputs.Output("stockade.status", "Pod/ns/ünïcode", null, null),
            new Outputs.Output("stockade.deadletter", null, new byte[0], null)));

    @Test
    void aCheckpointReadsBackAsItWasWrittenIncludingNullsAndEmptyValues() {
        Checkpoint read = Checkpoint.fromBytes(CHECKPOINT.toBytes());

        assertEquals(CHECKPOINT.owner(), read.owner());
        assertEquals(CHECKPOINT.offset(), read.offset());
        assertEquals(3, read.outbox().size());
        for (int i = 0; i < 3; i++) {
            Outputs.Output written = CHECKPOINT.outbox().get(i);
            Outputs.Output back = read.outbox().get(i);
            assertEquals(written.topic(), back.topic());
            assertEquals(written.key(), back.key());
            assertArrayEquals(written.value(), back.value());
            assertEquals(written.type(), back.type());
        }
        assertNull(read.outbox().get(1).value());
        assertNull(read.outbox().get(2).key());
    }

    @Test
    void aTruncatedCheckpointIsAnErrorNotAShorterOutbox() {
        byte[] bytes = CHECKPOINT.toBytes();

        assertThrows(UncheckedIOException.class, () -> Checkpoint.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)));
    }

    @Test
    void anUnknownFormatIsRefusedWithItsNumber() {
        byte[] bytes = CHECKPOINT.toBytes();
        bytes[3] = 9;

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Checkpoint.fromBytes(bytes));
        assertEquals("replicated checkpoint has format 9; this compiler reads 1", refused.getMessage());
    }
}
