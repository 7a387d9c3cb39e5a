package dev.stockade.agent;

import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.events.v1.RuleJsonWriter;
import dev.stockade.events.v1.RuleSetRecord;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The last rule set the node applied, with its generation, kept in a file ({@value #FILE}, a
 * {@code RuleSetRecord} as JSON) so a restarted agent enforces it at once and resumes the stream from
 * its generation. Written atomically (temp file + rename). A null directory keeps nothing.
 */
public final class AppliedStateStore {

    public static final String FILE = "applied-rules.json";

    private final Path dir;

    public AppliedStateStore(Path dir) {
        this.dir = dir;
    }

    /** The rule set applied last, or empty (no directory, no file, or a file that no longer decodes). */
    public Optional<RuleSetRecord> load() {
        if (dir == null || !Files.exists(dir.resolve(FILE))) {
            return Optional.empty();
        }
        try {
            return Optional.of(WireJson.decodeRuleSet(Files.readAllBytes(dir.resolve(FILE))));
        } catch (IOException | WireFormatException e) {
            return Optional.empty();
        }
    }

    public void save(NodeRuleSet ruleSet, long generation) {
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, FILE, ".tmp");
            Files.write(temp, RuleJsonWriter.ruleSet(ruleSet, generation));
            Files.move(temp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the applied rules in " + dir, e);
        }
    }
}
