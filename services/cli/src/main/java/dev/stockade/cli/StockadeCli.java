package dev.stockade.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stockade}: see what the compiler decides. */
@Command(name = "stockade", mixinStandardHelpOptions = true, version = "stockade 0.1.0",
        description = "Stockade: Kubernetes NetworkPolicy (v1 and the 2016 API) compiled to per-node rules.",
        subcommands = {MatrixCommand.class, ExplainCommand.class, CompileCommand.class, ReplayCommand.class,
            StatusCommand.class, DemoCommand.class})
public final class StockadeCli {

    public static void main(String[] args) {
        int exitCode = 1;
        try {
            exitCode = commandLine().execute(args);
        } catch (Throwable failure) {
            failure.printStackTrace();
        } finally {
            // The demo's broker, clients and caches run on non-daemon threads: never linger.
            System.exit(exitCode);
        }
    }

    /** The command line with every subcommand, for tests and embedding. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new StockadeCli()).setExecutionExceptionHandler(StockadeCli::reportFailure);
        // --help shows every option's default
        commandLine.getSubcommands().values().forEach(command -> command.getCommandSpec().usageMessage().showDefaultValues(true));
        for (String readsCluster : new String[] {"matrix", "explain", "compile"}) {
            ClusterOptions.describeExitCodes(commandLine.getSubcommands().get(readsCluster));
        }
        return commandLine;
    }

    /** Bad input is a one-line error and exit code 2, not a stack trace (set STOCKADE_DEBUG=1 for one). */
    private static int reportFailure(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
        command.getErr().println("stockade " + command.getCommandName() + ": " + failure.getMessage());
        if (System.getenv("STOCKADE_DEBUG") != null) {
            failure.printStackTrace(command.getErr());
        }
        command.getErr().flush();
        return failure instanceof IllegalArgumentException || failure instanceof java.io.UncheckedIOException ? 2 : 1;
    }
}
