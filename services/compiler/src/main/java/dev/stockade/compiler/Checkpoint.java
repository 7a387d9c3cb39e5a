package dev.stockade.compiler;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The replicated record of the last batch the active replica applied: who applied it, the offset
 * of its last input record, and its outputs. Written in the same Infinispan transaction as the
 * state changes, before the Kafka transaction commits: if the Kafka transaction did not commit,
 * the next active sends these outputs again with the same offset commit; if it did, nothing.
 *
 * <p>Stored as bytes in a plain binary layout (format 1: owner, offset, then each output's topic,
 * key, value and type, null marked): an outbox holds a batch's deltas, about a megabyte for 500
 * pod events, and is written once per batch, so copying the value bytes as they are matters
 * (as JSON they were base64-encoded, 8 % of the compiler's CPU).
 */
record Checkpoint(String owner, long offset, List<Outputs.Output> outbox) {

    private static final int FORMAT = 1;
    private static final int NULL = -1;

    byte[] toBytes() {
        List<byte[]> texts = new ArrayList<>(3 * outbox.size() + 1);
        texts.add(utf8(owner));
        int size = 4 + 4 + length(texts.get(0)) + 8 + 4;
        for (Outputs.Output output : outbox) {
            for (String text : new String[] {output.topic(), output.key(), output.type()}) {
                byte[] encoded = utf8(text);
                texts.add(encoded);
                size += 4 + length(encoded);
            }
            size += 4 + length(output.value());
        }
        // Sized exactly: the outbox is about a megabyte, and a growing or trimmed copy of it is garbage.
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(FORMAT);
        putBytes(out, texts.get(0));
        out.putLong(offset);
        out.putInt(outbox.size());
        int text = 1;
        for (Outputs.Output output : outbox) {
            putBytes(out, texts.get(text++));
            putBytes(out, texts.get(text++));
            putBytes(out, output.value());
            putBytes(out, texts.get(text++));
        }
        if (out.hasRemaining()) {
            throw new IllegalStateException("checkpoint sized " + size + " bytes but written " + out.position());
        }
        return out.array();
    }

    static Checkpoint fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalStateException("replicated checkpoint has format " + format + "; this compiler reads "
                        + FORMAT);
            }
            String owner = readText(in);
            long offset = in.readLong();
            int count = in.readInt();
            List<Outputs.Output> outbox = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                outbox.add(new Outputs.Output(readText(in), readText(in), readBytes(in), readText(in)));
            }
            return new Checkpoint(owner, offset, outbox);
        } catch (IOException e) {
            throw new UncheckedIOException("replicated checkpoint does not decode", e);
        }
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static String readText(DataInputStream in) throws IOException {
        byte[] bytes = readBytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static void putBytes(ByteBuffer out, byte[] value) {
        if (value == null) {
            out.putInt(NULL);
        } else {
            out.putInt(value.length);
            out.put(value);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == NULL) {
            return null;
        }
        byte[] value = in.readNBytes(length);
        if (value.length != length) {
            throw new EOFException("checkpoint ends inside a value of " + length + " bytes");
        }
        return value;
    }
}
