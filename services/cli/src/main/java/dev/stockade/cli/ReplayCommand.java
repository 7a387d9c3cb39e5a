package dev.stockade.cli;

import dev.stockade.core.verdict.Probe;
import dev.stockade.events.v1.WireJson;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stockade replay}: rebuilds the compiler's state at a point of the resources topic with the
 * same decoder and engine, and prints the rules, the matrix or the deltas of a range — or, with
 * {@code --diff}, what changed between the two ends of the range.
 *
 * <p>Range: records with offsets in [from, to]; from defaults to 0 and to to the last record a
 * read_committed reader sees at start. The "from" state is the state just before {@code from};
 * the "to" state the state after {@code to}. Replay always starts at the beginning of the log, so
 * generations are the ones the compiler computed (when it too started from an empty state and the
 * log has not been compacted below {@code to}).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Rebuild the state at a point of stockade.resources and print rules, matrix or deltas.")
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--topic", defaultValue = "stockade.resources", description = "Resources topic (partition 0 is read).")
    String topic;

    @Option(names = "--from-offset", paramLabel = "N", description = "First offset of the range (default 0).")
    Long fromOffset;

    @Option(names = "--from-time", paramLabel = "T",
            description = "The range starts at the first record with a timestamp at or after T (ISO-8601 instant or epoch ms).")
    String fromTime;

    @Option(names = "--to-offset", paramLabel = "M", description = "Last offset of the range, inclusive.")
    Long toOffset;

    @Option(names = "--to-time", paramLabel = "U",
            description = "The range ends at the last record with a timestamp at or before U (ISO-8601 instant or epoch ms).")
    String toTime;

    @Option(names = {"-o", "--output"}, defaultValue = "rules",
            description = "rules (per-node rule sets at the end point), matrix, or deltas (JSON lines of the range).")
    String output;

    @Option(names = "--probe", defaultValue = "80/TCP", paramLabel = "PORT/PROTO,...", description = "Probes for -o matrix.")
    String probes;

    @Option(names = "--diff", description = "Print what changed between the state before 'from' and after 'to'.")
    boolean diff;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ReplayArguments arguments = ReplayArguments.check(this);
        List<Probe> parsedProbes = Probe.parseList(probes);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ResourceLog log = open(arguments)) {
            ReplayArguments.Range range = arguments.resolve(log);
            Replayer replayer = new Replayer(range.from(), warning -> err.println("warning: " + warning),
                    delta -> {
                        if (arguments.output() == ReplayArguments.Output.DELTAS) {
                            out.println(new String(WireJson.encode(delta), StandardCharsets.UTF_8));
                        }
                    });
            read(log, range, replayer, arguments);
            print(out, arguments.output(), range, replayer, parsedProbes);
            err.println("replayed " + topic + "-0 offsets 0.." + range.to() + " (range " + range.from() + ".." + range.to()
                    + "): " + replayer.applied() + " records applied, " + replayer.skipped() + " skipped or rejected");
        } finally {
            out.flush();
            err.flush();
        }
        return 0;
    }

    private ResourceLog open(ReplayArguments arguments) {
        return kafka.reading(arguments.kafkaProperties(), "cannot read " + topic + " from " + kafka.bootstrap,
                () -> ResourceLog.open(kafka.bootstrap, topic, arguments.kafkaProperties()));
    }

    private void read(ResourceLog log, ReplayArguments.Range range, Replayer replayer, ReplayArguments arguments) {
        kafka.reading(arguments.kafkaProperties(), "reading " + topic + " failed", () -> {
            log.read(range.to() + 1, replayer::accept);
            return null;
        });
    }

    private void print(PrintWriter out, ReplayArguments.Output output, ReplayArguments.Range range, Replayer replayer,
                       List<Probe> probes) throws Exception {
        Replayer.Snapshot end = replayer.snapshot();
        switch (output) {
            case RULES -> out.println(CoreJson.json().writeValueAsString(diff
                    ? ReplayDiff.rules(range.from(), range.to(), replayer.atFrom(), end) : end.ruleSets()));
            case MATRIX -> out.println(diff
                    ? CoreJson.json().writeValueAsString(ReplayDiff.matrix(range.from(), range.to(), probes,
                            replayer.atFrom(), end))
                    : CoreJson.compactJson().writeValueAsString(MatrixCommand.document(end.verdicts(probes))));
            case DELTAS -> {
                // printed while reading
            }
        }
    }
}
