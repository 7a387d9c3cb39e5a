package dev.stockade.cli;

import dev.stockade.kube.ClusterLoader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stockade compile}: the per-node rule sets, as agents would hold them, written as a stream. */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "The per-node rule sets (policies, applied-to groups, address groups) agents enforce.")
final class CompileCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = {"-o", "--output"}, defaultValue = "json", description = "json (default) or yaml.")
    String output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ClusterLoader.Loaded loaded = cluster.load(System.err);
        var ruleSets = loaded.agents().nonEmptyRuleSets();
        PrintWriter out = spec.commandLine().getOut();
        switch (output) {
            case "json" -> {
                CoreJson.write(CoreJson.json(), ruleSets, out);
                out.println();
            }
            case "yaml" -> CoreJson.write(CoreJson.yaml(), ruleSets, out);
            default -> throw new IllegalArgumentException("unknown output '" + output + "' (json or yaml)");
        }
        out.flush();
        return ClusterOptions.exitCode(loaded, System.err);
    }
}
