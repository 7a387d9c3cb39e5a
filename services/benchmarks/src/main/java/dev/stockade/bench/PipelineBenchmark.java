package dev.stockade.bench;

import dev.stockade.bench.pipeline.BenchClients;
import dev.stockade.bench.pipeline.BenchRecords;
import dev.stockade.bench.pipeline.CpuAccount;
import dev.stockade.bench.pipeline.Phases;
import dev.stockade.bench.pipeline.RulesWatcher;
import dev.stockade.compiler.CacheManagers;
import dev.stockade.compiler.CompilerLoop;
import dev.stockade.compiler.CompilerSettings;
import dev.stockade.localkafka.LocalKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.apache.kafka.common.TopicPartition;
import org.infinispan.manager.EmbeddedCacheManager;

/**
 * The listener → Kafka → compiler pipeline on one in-JVM KRaft broker (not a timed test; run it
 * on a quiet machine):
 * <ol>
 *   <li>raw: the listener's producer → a read_committed consumer, the N pod records (~1 KB) four
 *       times over ({@code -Dbench.rawRepeat}), records/s (the median of three runs on fresh topics);</li>
 *   <li>pipeline: the same N records into {@code stockade.resources} through one {@link CompilerLoop}
 *       (1-member Infinispan) until the last record's delta is committed on {@code stockade.rules}
 *       and readable, events/s, and its ratio to raw;</li>
 *   <li>ceiling (last round): the pass's deltas through a plain producer → consumer, the second hop
 *       without a compiler; with (1) it bounds what any compiler could reach here ({@link #ceiling});</li>
 *   <li>latency: one new pod every 10 ms for 20 s, from send to its first delta readable, p50/p99.</li>
 * </ol>
 * Before (2) the cluster's namespaces and policies (the small-namespaces shape: N/4 namespaces,
 * 3 policies each) are loaded and 5,000 warm-up pods compiled. (1) and (2) then run in five rounds,
 * the N pods deleted again (untimed) after each, and the last round is the result: the first ones
 * share the two cores with the JIT, which is still compiling the broker, the clients and the
 * compiler. So (2) and (3) measure a warm compiler on a cluster of N/4 namespaces, as (1) measures a
 * warm producer and consumer.
 *
 * <p>Run: {@code java -cp services/benchmarks/target/benchmarks.jar dev.stockade.bench.PipelineBenchmark [N]}.
 * Variants: {@code -Dbench.broker.KEY=VALUE} overrides a broker setting, {@code -Dbench.compiler.KEY=VALUE}
 * adds a Kafka client property of the compiler ({@link CompilerSettings#kafkaProperties()}),
 * {@code -Dbench.maxBatch=M} sets the compiler's records per poll and transaction,
 * {@code -Dbench.warmUpPods=W} the warm-up pods (5,000), {@code -Dbench.rounds=R} the rounds (5; the
 * last one is the result).
 */
public final class PipelineBenchmark {

    private static final String RESOURCES = "stockade.resources";
    private static final String RULES = "stockade.rules";
    private static final int RATE = 100;
    private static final int LATENCY_SECONDS = 20;
    private static final int WARM_UP_PODS = Integer.getInteger("bench.warmUpPods", 5_000);
    private static final int RAW_RUNS = 3;
    /** Raw sends its records this many times per run: a single pass of 50,000 took ~0.4 s, too short to be steady. */
    private static final int RAW_REPEAT = Integer.getInteger("bench.rawRepeat", 4);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        System.setProperty("stockade.jgroups.port", System.getProperty("stockade.jgroups.port", "7990"));
        String loadBefore = loadAverage();
        BenchRecords.Shape shape = BenchRecords.smallNamespaces(records);
        say("records: " + shape.pods().size() + " pods, mean value " + meanSize(shape.pods()) + " bytes; cluster "
                + shape.clusterObjects().size() + " namespaces and policies");
        try (LocalKafka kafka = LocalKafka.start(prefixed("bench.broker."))) {
            createTopics(kafka);
            String bootstrap = kafka.bootstrapServers();
            Phases.raw(bootstrap, "bench.warm-up", shape.pods().subList(0, Math.min(10_000, records)));
            measure(bootstrap, shape);
        }
        say("load average before: " + loadBefore + "; after: " + loadAverage() + "; "
                + Runtime.getRuntime().availableProcessors() + " CPUs; Java " + Runtime.version());
        System.exit(0);
    }

    /**
     * Cluster and warm-up pods loaded; then ROUNDS rounds of raw and pipeline (each followed by the
     * pods' deletions, untimed, so the next round sends the same events to the same state); then the
     * latency phase. Only the last round counts: in a JVM of a minute the JIT keeps compiling the
     * broker, clients and compiler for the first rounds (each round prints its CPU account).
     */
    private static void measure(String bootstrap, BenchRecords.Shape shape) throws Exception {
        EmbeddedCacheManager member = CacheManagers.start("bench-" + System.nanoTime(), "bench", "jgroups-loopback.xml");
        CompilerLoop compiler = startCompiler(bootstrap, member);
        try {
            long offset = load(bootstrap, shape.clusterObjects(), 0);
            offset = load(bootstrap, extraPods("warm", WARM_UP_PODS, 0, shape.pods().size() / 4), offset);
            int records = shape.pods().size();
            for (int round = 1; round <= ROUNDS; round++) {
                say("round " + round + " of " + ROUNDS + (round == ROUNDS ? " (the result)" : " (warming up)"));
                double raw = rawMedian(bootstrap, shape.pods(), round);
                Map<TopicPartition, Long> rulesBefore = BenchClients.endOffsets(bootstrap, RULES);
                double pipeline;
                try (RulesWatcher watcher = RulesWatcher.start(bootstrap, RULES)) {
                    CpuAccount before = CpuAccount.now();
                    pipeline = Phases.pipeline(bootstrap, RESOURCES, watcher, offset, shape.pods());
                    Map<String, Double> cpu = CpuAccount.now().since(before);
                    say(String.format("pipeline listener -> Kafka -> compiler -> rules: %.0f events/s (%.0f %% of raw);"
                            + " %.2f deltas and %.0f bytes of deltas per event", pipeline, 100 * pipeline / raw,
                            (double) watcher.deltas() / records, (double) watcher.bytes() / records));
                    say(String.format("  CPU of the pipeline pass: %.0f us per event; %s",
                            1e6 * cpu.get("total") / records, CpuAccount.describe(cpu)));
                }
                if (round == ROUNDS) {
                    ceiling(bootstrap, raw, pipeline, records, BenchClients.readBetween(bootstrap, RULES, rulesBefore,
                            BenchClients.endOffsets(bootstrap, RULES)));
                }
                offset = load(bootstrap, deletions(shape.pods()), offset + records);
            }
            try (RulesWatcher watcher = RulesWatcher.start(bootstrap, RULES)) {
                Phases.Latency latency = Phases.latency(bootstrap, RESOURCES, watcher,
                        extraPods("lat", RATE * LATENCY_SECONDS, WARM_UP_PODS, shape.pods().size() / 4), RATE);
                say(String.format("latency at %d events/s for %d s: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
                        + " (%d timed, %d without a delta)", RATE, LATENCY_SECONDS, latency.p50(), latency.p90(),
                        latency.p99(), latency.max(), latency.count(), latency.missing()));
            }
        } finally {
            compiler.close();
            member.stop();
        }
    }

    /** The raw phase three times on fresh topics; the median (a phase of ~1.5 s is sensitive to a GC or a neighbour). */
    private static double rawMedian(String bootstrap, List<BenchRecords.Entry> pods, int round) throws Exception {
        CpuAccount before = CpuAccount.now();
        double[] runs = rawRuns(bootstrap, run -> rawTopic(round, run), pods);
        Map<String, Double> cpu = CpuAccount.now().since(before);
        say(String.format("raw producer -> consumer: %.0f records/s (median of %s)", median(runs), listed(runs)));
        say(String.format("  CPU of the raw runs: %.0f us per record; %s", 1e6 * cpu.get("total") / (RAW_RUNS * RAW_REPEAT * pods.size()),
                CpuAccount.describe(cpu)));
        return median(runs);
    }

    /**
     * An estimate of the pipeline's ceiling on this machine. Every event crosses the broker twice: as
     * a resource record (what raw measures) and as its deltas. The pass's deltas are sent again
     * through a plain producer → consumer, the second hop with no compiler in between; while both
     * hops keep the cores busy their times per event add, so a compiler that cost nothing would reach
     * about {@code 1 / (1/raw + deltasPerEvent/rawDeltas)} events/s. Not a strict bound: hops that
     * left cores idle would overlap; and the deltas go to one partition with the listener's
     * producer, not to the rules topic's partitions with the compiler's transactional one.
     */
    private static void ceiling(String bootstrap, double raw, double pipeline, int events,
                                List<BenchRecords.Entry> deltas) throws Exception {
        double[] runs = rawRuns(bootstrap, run -> "bench.raw-deltas-" + run, deltas);
        double rawDeltas = median(runs);
        double deltasPerEvent = (double) deltas.size() / events;
        double ceiling = 1 / (1 / raw + deltasPerEvent / rawDeltas);
        say(String.format("raw producer -> consumer of the pass's %d deltas: %.0f records/s (median of %s) = %.0f events/s"
                + " at %.2f deltas per event", deltas.size(), rawDeltas, listed(runs), rawDeltas / deltasPerEvent,
                deltasPerEvent));
        say(String.format("ceiling, estimated (both hops, a compiler of no cost): %.0f events/s = %.0f %% of raw; the pipeline reached"
                + " %.0f %% of it", ceiling, 100 * ceiling / raw, 100 * pipeline / ceiling));
    }

    /** Records/s of the raw phase in each of {@value #RAW_RUNS} runs, on the topics {@code topic} names, records repeated. */
    private static double[] rawRuns(String bootstrap, IntFunction<String> topic, List<BenchRecords.Entry> records)
            throws Exception {
        List<BenchRecords.Entry> repeated = repeated(records);
        double[] runs = new double[RAW_RUNS];
        for (int run = 0; run < RAW_RUNS; run++) {
            runs[run] = Phases.raw(bootstrap, topic.apply(run), repeated);
        }
        return runs;
    }

    private static double median(double[] runs) {
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static List<String> listed(double[] runs) {
        return Arrays.stream(runs).mapToObj(run -> String.format("%.0f", run)).toList();
    }

    private static List<BenchRecords.Entry> repeated(List<BenchRecords.Entry> records) {
        List<BenchRecords.Entry> repeated = new ArrayList<>(records.size() * RAW_REPEAT);
        for (int i = 0; i < RAW_REPEAT; i++) {
            repeated.addAll(records);
        }
        return repeated;
    }

    /** System properties {@code PREFIX.KEY=VALUE} as a map of KEY to VALUE. */
    private static Map<String, String> prefixed(String prefix) {
        Map<String, String> found = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(prefix))
                .forEach(name -> found.put(name.substring(prefix.length()), System.getProperty(name)));
        return found;
    }

    private static void createTopics(LocalKafka kafka) {
        kafka.createTopic(RESOURCES, 1, true);
        kafka.createTopic(RULES, 3, false);
        kafka.createTopic("stockade.status", 1, true);
        kafka.createTopic("stockade.deadletter", 1, false);
        kafka.createTopic("stockade.control", 1, false);
        kafka.createTopic("bench.warm-up", 1, true);
        for (int run = 0; run < RAW_RUNS; run++) {
            kafka.createTopic("bench.raw-deltas-" + run, 1, false);
        }
        for (int round = 1; round <= ROUNDS; round++) {
            for (int run = 0; run < RAW_RUNS; run++) {
                kafka.createTopic(rawTopic(round, run), 1, true);
            }
        }
    }

    private static CompilerLoop startCompiler(String bootstrap, EmbeddedCacheManager member) throws Exception {
        CompilerSettings defaults = CompilerSettings.defaults(bootstrap, "bench");
        CompilerSettings settings = new CompilerSettings(defaults.bootstrapServers(), defaults.resourcesTopic(),
                defaults.rulesTopic(), defaults.statusTopic(), defaults.deadLetterTopic(), defaults.controlTopic(),
                defaults.groupId(), defaults.transactionalId(), defaults.replicaId(),
                Integer.getInteger("bench.maxBatch", defaults.maxBatch()), defaults.pollTimeout(),
                prefixed("bench.compiler."));
        say("compiler: max " + settings.maxBatch() + " records per transaction, client properties "
                + settings.kafkaProperties() + "; broker overrides " + prefixed("bench.broker."));
        CompilerLoop compiler = new CompilerLoop(settings,
                member.getCache(CacheManagers.STATE_CACHE), new SimpleMeterRegistry(), Clock.systemUTC());
        Thread thread = new Thread(compiler, "compiler");
        thread.setDaemon(true);
        thread.start();
        return compiler;
    }

    /** Sends records to the resources topic and waits until the compiler has committed them; the next offset. */
    private static long load(String bootstrap, List<BenchRecords.Entry> records, long offset) throws Exception {
        try (var producer = BenchClients.listenerProducer(bootstrap)) {
            records.forEach(entry -> producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(RESOURCES, 0,
                    entry.key(), entry.value())));
        }
        long next = offset + records.size();
        BenchClients.awaitCommitted(bootstrap, "stockade-compiler", RESOURCES, next, Duration.ofMinutes(10));
        return next;
    }

    /**
     * New pods over the first 1,000 of the shape's {@code namespaces} round-robin, each selected by
     * its namespace's policies; {@code base} keeps their IPs apart from other extra pods.
     */
    private static List<BenchRecords.Entry> extraPods(String prefix, int count, int base, int namespaces) {
        List<BenchRecords.Entry> pods = new ArrayList<>();
        int spread = Math.min(1000, namespaces);
        for (int i = 0; i < count; i++) {
            pods.add(BenchRecords.extraPod("ns-" + (i % spread), prefix + "-" + i, base + i));
        }
        return pods;
    }

    private static String rawTopic(int round, int run) {
        return "bench.raw-" + round + "-" + run;
    }

    private static List<BenchRecords.Entry> deletions(List<BenchRecords.Entry> records) {
        return records.stream().map(entry -> new BenchRecords.Entry(entry.key(), null)).toList();
    }

    private static long meanSize(List<BenchRecords.Entry> records) {
        return Math.round(records.stream().mapToInt(entry -> entry.value().length).average().orElse(0));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
