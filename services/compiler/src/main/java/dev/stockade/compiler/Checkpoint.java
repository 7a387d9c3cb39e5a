package dev.stockade.compiler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        int size = 64 + outbox.stream().mapToInt(output -> 64 + (output.value() == null ? 0 : output.value().length)).sum();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            writeText(out, owner);
            out.writeLong(offset);
            out.writeInt(outbox.size());
            for (Outputs.Output output : outbox) {
                writeText(out, output.topic());
                writeText(out, output.key());
                writeBytes(out, output.value());
                writeText(out, output.type());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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

    private static void writeText(DataOutputStream out, String text) throws IOException {
        writeBytes(out, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }

    private static String readText(DataInputStream in) throws IOException {
        byte[] bytes = readBytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(NULL);
        } else {
            out.writeInt(value.length);
            out.write(value);
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
