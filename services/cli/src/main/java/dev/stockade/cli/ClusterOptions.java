package dev.stockade.cli;

import dev.stockade.kube.ClusterLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The cluster a command looks at: a manifest directory, then optional watch events. */
final class ClusterOptions {

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
}
