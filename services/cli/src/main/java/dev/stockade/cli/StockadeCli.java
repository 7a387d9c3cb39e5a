package dev.stockade.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stockade}: see what the compiler decides. */
@Command(name = "stockade", mixinStandardHelpOptions = true, version = "stockade 0.1.0",
        description = "Stockade: Kubernetes NetworkPolicy (v1 and the 2016 API) compiled to per-node rules.",
        subcommands = {MatrixCommand.class, ExplainCommand.class, CompileCommand.class})
public final class StockadeCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, for tests and embedding. */
    public static CommandLine commandLine() {
        return new CommandLine(new StockadeCli());
    }
}
