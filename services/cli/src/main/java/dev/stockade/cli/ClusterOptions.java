package dev.stockade.cli;

import dev.stockade.core.model.Rejection;
import dev.stockade.kube.ClusterLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The cluster a command looks at: a manifest directory, then optional watch events; and how a
 * command that read it ends when some of it was left out.
 */
final class ClusterOptions {

    /**
     * Exit code of {@code matrix}, {@code explain} and {@code compile} when they printed their
     * result but some input was left out of it: a rejected object or field, an unreadable file, an
     * unusable event line. A rejected object is never silent in a result.
     */
    static final int INPUT_LEFT_OUT = 3;

    /** The exit codes of a command that reads a cluster, for its help. */
    static void describeExitCodes(CommandLine command) {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "the result covers every input object");
        codes.put("2", "bad arguments, or the manifest directory or events file cannot be read");
        codes.put(String.valueOf(INPUT_LEFT_OUT), "the result was printed, but input was left out of it"
                + " (rejected objects or fields, unreadable files, unusable event lines; each named on stderr)");
        command.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    }

    @Option(names = "--manifests", required = true, paramLabel = "DIR",
            description = "Directory of *.yaml|*.yml|*.json manifests (multi-document YAML, kind: List, single objects).")
    Path manifests;

    @Option(names = "--events", paramLabel = "FILE",
            description = "JSON lines of watch events {\"type\":\"ADDED|MODIFIED|DELETED\",\"object\":{...}},"
                    + " applied one at a time after the manifests.")
    Path events;

    /** Loads the cluster through the incremental engine; warnings go to {@code stderr}. */
    ClusterLoader.Loaded load(PrintStream stderr) {
        return new ClusterLoader(warning -> stderr.println("warning: " + warning)).load(manifests, events);
    }

    /**
     * The command's exit code once its result is printed: 0, or {@value #INPUT_LEFT_OUT} after a
     * summary on stderr of what the result leaves out.
     */
    static int exitCode(ClusterLoader.Loaded loaded, PrintStream stderr) {
        ClusterLoader.LeftOut leftOut = loaded.leftOut();
        if (leftOut.isEmpty()) {
            return 0;
        }
        Set<String> objects = new LinkedHashSet<>();
        for (Rejection rejection : leftOut.rejections()) {
            objects.add(rejection.object().toString());
        }
        StringBuilder summary = new StringBuilder("stockade: the result above leaves out");
        String separator = " ";
        if (!objects.isEmpty()) {
            summary.append(separator).append(leftOut.rejections().size()).append(" rejection(s) of ")
                    .append(objects.size()).append(" object(s) (").append(String.join(", ", objects)).append(')');
            separator = "; ";
        }
        if (!leftOut.unreadableFiles().isEmpty()) {
            summary.append(separator).append(leftOut.unreadableFiles().size()).append(" unreadable file(s)");
            separator = "; ";
        }
        if (leftOut.skippedEventLines() > 0) {
            summary.append(separator).append(leftOut.skippedEventLines()).append(" unusable event line(s)");
        }
        stderr.println(summary.append(" — see the warnings above (exit ").append(INPUT_LEFT_OUT).append(')'));
        stderr.flush();
        return INPUT_LEFT_OUT;
    }
}
