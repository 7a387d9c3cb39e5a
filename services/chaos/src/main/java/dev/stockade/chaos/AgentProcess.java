package dev.stockade.chaos;

import dev.stockade.agent.AgentNode;
import dev.stockade.agent.AgentSettings;
import dev.stockade.agent.dataplane.RecordingReconciler;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.events.v1.RuleJsonWriter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;

/**
 * An agent as a plain process with a recording reconciler (no nftables): {@link AgentNode} with
 * its state directory (a restart resumes from the kept rule set, as the real agent does). Each
 * ACKed rule set is written whole to {@code --out} (atomically), and each ACK appended to
 * {@code --out}.acks as {@code <pid> <generation> <hash of the rule set>}: what the harness compares and counts.
 * {@code --node}, {@code --dispatchers} (comma-separated host:port), {@code --token},
 * {@code --state-dir}, {@code --out}.
 */
public final class AgentProcess {

    private AgentProcess() {
    }

    public static void main(String[] argv) throws InterruptedException {
        Args args = Args.parse(argv);
        Path out = Path.of(args.get("out"));
        Path acks = Path.of(args.get("out") + ".acks");
        long pid = ProcessHandle.current().pid();
        AgentSettings settings = AgentSettings.plaintext(args.get("node"),
                Arrays.stream(args.get("dispatchers").split(",")).toList(), args.get("token"))
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .withStateDir(Path.of(args.get("state-dir")));
        AgentNode.start(settings, new RecordingReconciler(), new CompositeMeterRegistry(), new AgentNode.Observer() {
            @Override
            public synchronized void acked(long generation, NodeRuleSet applied, long nanos) {
                byte[] ruleSet = RuleJsonWriter.ruleSet(applied, generation);
                write(out, ruleSet);
                append(acks, pid + " " + generation + " " + java.util.Arrays.hashCode(ruleSet) + "\n");
            }
        });
        Args.parkForever();
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.write(next, bytes);
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Path file, String line) {
        try {
            Files.write(file, line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
