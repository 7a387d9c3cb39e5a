package dev.stockade.chaos;

import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.engine.CompiledCluster;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.WireJson;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * The kill -9 chaos run. Every service runs as its own OS process from the harness's class path:
 * 3 KRaft brokers (each broker and controller, a 3-voter quorum; topics RF 3, min ISR 2; or one,
 * never killed, with {@code brokers=1}), the listener (reading a manifest directory as its
 * cluster), 2 compilers, 2 pools of 2 dispatchers, an agent per node (recording reconciler). The
 * harness writes pod and policy events into the directory at {@code rate} per second and, cycle
 * after cycle: events for 2 s, a {@code kill -9} of a random replica of a random service (the
 * first kills go to each service in turn, the next one to both compilers together), its restart
 * 0.3 s later (a broker with the same node id and log directory), events for 1 s more, then a
 * quiet point: the harness stops writing and waits until every agent's ACKed rule set equals a
 * fresh full compile of the directory. The time from the kill to that moment is the kill's
 * convergence time; a quiet point that does not converge within {@code convergeTimeout} counts the
 * differing nodes as diffs. With 3 brokers, a cycle ends once every partition has all 3 replicas
 * in sync again, so that the cluster loses one broker at a time. Agents' ACK logs are read for
 * duplicated effects ({@link #duplicates()}).
 */
final class ChaosRun {

    /** What to run. */
    record Options(Duration duration, int minKills, int agents, int rate, Path workDir, long seed,
                   Duration convergeTimeout, int brokers) {

        Options {
            if (brokers != 1 && brokers != 3) {
                throw new IllegalArgumentException("brokers is 1 or 3, not " + brokers);
            }
        }
    }

    /** One kill and how long until everything converged again (-1: it did not within the timeout). */
    record Kill(String service, String target, long convergedMillis, int diffs) {
    }

    /** The run's figures. */
    record Result(List<Kill> kills, long events, int finalDiffs, int duplicates, int unexpectedExits,
                  long initialConvergenceMillis, Duration wall) {

        int diffs() {
            return finalDiffs + kills.stream().mapToInt(Kill::diffs).sum();
        }

        boolean allConverged() {
            return kills.stream().allMatch(k -> k.convergedMillis() >= 0);
        }

        long percentile(double p) {
            List<Long> times = kills.stream().map(Kill::convergedMillis).filter(t -> t >= 0).sorted().toList();
            return times.isEmpty() ? -1 : times.get((int) Math.ceil(p * times.size()) - 1);
        }

        String summary() {
            Map<String, Integer> perService = new TreeMap<>();
            kills.forEach(k -> perService.merge(k.service(), 1, Integer::sum));
            StringBuilder text = new StringBuilder();
            text.append("chaos summary\n");
            text.append("  wall ").append(wall.toSeconds()).append(" s, events ").append(events)
                    .append(", initial convergence ").append(initialConvergenceMillis).append(" ms\n");
            text.append("  kills ").append(kills.size()).append(" ").append(perService).append('\n');
            text.append("  convergence after a kill: p50 ").append(percentile(0.5)).append(" ms, p99 ")
                    .append(percentile(0.99)).append(" ms, max ").append(percentile(1.0)).append(" ms")
                    .append(allConverged() ? "" : " (some did not converge)").append('\n');
            text.append("  diffs at quiet points ").append(kills.stream().mapToInt(Kill::diffs).sum())
                    .append(", at the end ").append(finalDiffs).append(", duplicated effects ").append(duplicates)
                    .append(", unexpected exits ").append(unexpectedExits).append('\n');
            kills.forEach(k -> text.append("  kill ").append(k.target()).append(": converged in ")
                    .append(k.convergedMillis()).append(" ms").append(k.diffs() > 0 ? ", diffs " + k.diffs() : "").append('\n'));
            return text.toString();
        }
    }

    private static final String RUN = Long.toString(System.currentTimeMillis() % 100_000);
    private static final List<String> JGROUPS = List.of("-Dstockade.jgroups.port=7700", "-Dstockade.jgroups.port_range=12",
            "-Dstockade.jgroups.fd_offset=50");

    private final Options options;
    private final Random random;
    private final List<String> nodes;
    private final Path manifests;
    private final Path agentsDir;
    private final Path logs;
    private final Map<String, List<ServiceProcess>> services = new TreeMap<>();
    private final List<ServiceProcess> all = new ArrayList<>();
    private Workload workload;
    private Brokers brokers;
    private String bootstrap;
    private int unexpectedExits;

    ChaosRun(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
        this.nodes = IntStream.rangeClosed(1, options.agents()).mapToObj(i -> "node-" + i).toList();
        this.manifests = options.workDir().resolve("manifests");
        this.agentsDir = options.workDir().resolve("agents");
        this.logs = options.workDir().resolve("logs");
    }

    Result run() throws Exception {
        long started = System.nanoTime();
        for (Path dir : List.of(manifests, agentsDir, logs)) {
            Files.createDirectories(dir);
        }
        try {
            startBrokers();
            workload = new Workload(manifests, nodes, options.seed());
            workload.writeInitial();
            startServices();
            long initial = awaitConverged(System.nanoTime(), Duration.ofMinutes(3));
            if (initial < 0) {
                throw new IllegalStateException("the system did not converge after start: " + diffs(workload.expected()));
            }
            log("started and converged in " + initial + " ms");
            brokers.verifyReplication();
            List<Kill> kills = new ArrayList<>();
            List<String> killable = new ArrayList<>(List.of("listener", "compiler", "dispatcher", "agent"));
            if (options.brokers() > 1) {
                killable.add("broker");
            }
            List<String> plan = new ArrayList<>(killable);
            Collections.shuffle(plan, random);
            plan.add("compilers");
            while (kills.size() < options.minKills() || System.nanoTime() - started < options.duration().toNanos()) {
                String service = kills.size() < plan.size() ? plan.get(kills.size())
                        : killable.get(random.nextInt(killable.size()));
                kills.add(cycle(service));
            }
            int finalDiffs = diffs(workload.expected()).size();
            return new Result(kills, workload.events(), finalDiffs, duplicates(), unexpectedExits, initial,
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            all.forEach(ServiceProcess::stop);
        }
    }

    /** Events, a kill and restart, events, then a quiet point: how long until converged again. */
    private Kill cycle(String service) throws Exception {
        drive(Duration.ofSeconds(2));
        List<ServiceProcess> targets = service.equals("compilers") ? services.get("compiler")
                : List.of(pick(services.get(service)));
        long killedAt = System.nanoTime();
        for (ServiceProcess target : targets) {
            target.kill();
        }
        String names = String.join("+", targets.stream().map(t -> t.name).toList());
        CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
            sleep(300);
            targets.forEach(ServiceProcess::start);
        });
        drive(Duration.ofSeconds(1));
        restart.join();
        long converged = awaitConverged(killedAt, options.convergeTimeout());
        int diffs = converged < 0 ? diffs(workload.expected()).size() : 0;
        log("kill -9 " + names + ": " + (converged < 0 ? "NOT converged, diffs " + diffs : "converged in " + converged + " ms"));
        brokers.awaitInSync(options.convergeTimeout());
        return new Kill(service, names, converged, diffs);
    }

    /** Writes events at the configured rate for {@code period}; restarts processes that died by themselves. */
    private void drive(Duration period) {
        long start = System.nanoTime();
        long every = 1_000_000_000L / options.rate();
        for (long i = 0; System.nanoTime() - start < period.toNanos(); i++) {
            workload.step();
            long next = start + (i + 1) * every;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleep(wait / 1_000_000);
            }
        }
        restartDead();
    }

    /** Milliseconds from {@code since} until every agent holds the full compile, or -1 after {@code timeout}. */
    private long awaitConverged(long since, Duration timeout) {
        CompiledCluster expected = workload.expected();
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<String> differing = diffs(expected);
            if (differing.isEmpty()) {
                return (System.nanoTime() - since) / 1_000_000;
            }
            if (System.nanoTime() > nextReport) {
                // Where a slow convergence waits: which agents still hold something else.
                log("  " + (System.nanoTime() - since) / 1_000_000 + " ms after the kill, still differing: " + differing);
                nextReport += 2_000_000_000L;
            }
            restartDead();
            sleep(50);
        }
        return -1;
    }

    /** The nodes whose agent's ACKed rule set differs from the compile. */
    private List<String> diffs(CompiledCluster expected) {
        List<String> differing = new ArrayList<>();
        for (String node : nodes) {
            NodeRuleSet want = expected.ruleSetFor(node);
            Path file = agentsDir.resolve(node + ".json");
            try {
                NodeRuleSet held = Files.exists(file)
                        ? RuleDeltaCodec.fromWire(WireJson.decodeRuleSet(Files.readAllBytes(file))) : null;
                if (!want.equals(held)) {
                    differing.add(node);
                }
            } catch (IOException | RuntimeException | dev.stockade.events.v1.WireFormatException e) {
                differing.add(node);
            }
        }
        return differing;
    }

    /**
     * Duplicated or conflicting effects: within one agent process, an ACK of a generation below the
     * one it ACKed before, or of the same generation with a different rule set. (The same generation
     * with the same rule set again is a re-acknowledgement, e.g. a kept rule set confirmed by the
     * dispatcher's snapshot after a restart: harmless, not counted.)
     */
    private int duplicates() throws IOException {
        int duplicates = 0;
        for (String node : nodes) {
            Path acks = agentsDir.resolve(node + ".json.acks");
            if (!Files.exists(acks)) {
                continue;
            }
            Map<String, String[]> last = new HashMap<>();
            for (String line : Files.readAllLines(acks)) {
                String[] parts = line.split(" ");
                String[] before = last.put(parts[0], parts);
                if (before != null && (Long.parseLong(parts[1]) < Long.parseLong(before[1])
                        || parts[1].equals(before[1]) && !parts[2].equals(before[2]))) {
                    log("duplicated or conflicting ACK on " + node + ": " + String.join(" ", before) + " then " + line);
                    duplicates++;
                }
            }
        }
        return duplicates;
    }

    private void startBrokers() throws Exception {
        brokers = Brokers.start(options.brokers(), options.workDir().resolve("kafka"), logs);
        brokers.processes().forEach(this::add);
        bootstrap = brokers.bootstrapServers();
        log(options.brokers() + " broker(s) at " + bootstrap);
    }

    private void startServices() throws IOException {
        add(new ServiceProcess("listener", "listener", "256m", ListenerProcess.class, List.of(),
                List.of("--bootstrap=" + bootstrap, "--dir=" + manifests), logs));
        for (String name : List.of("compiler-1", "compiler-2")) {
            add(new ServiceProcess("compiler", name, "320m", CompilerProcess.class, JGROUPS,
                    List.of("--bootstrap=" + bootstrap, "--name=" + name, "--cluster=chaos-compiler-" + RUN), logs));
        }
        Map<String, List<String>> addresses = new TreeMap<>();
        for (String pool : List.of("pool-a", "pool-b")) {
            List<String> poolNodes = nodes.stream().filter(n -> Workload.poolOf(nodes, n).equals(pool)).toList();
            for (int replica = 1; replica <= 2; replica++) {
                int port = freePort();
                addresses.computeIfAbsent(pool, p -> new ArrayList<>()).add("127.0.0.1:" + port);
                add(new ServiceProcess("dispatcher", pool + "-" + replica, "256m", DispatcherProcess.class, JGROUPS,
                        List.of("--bootstrap=" + bootstrap, "--pool=" + pool, "--name=" + pool + "-" + replica,
                                "--port=" + port, "--cluster=chaos-" + pool + "-" + RUN, "--nodes=" + String.join(",", poolNodes),
                                "--token-prefix=chaos-" + RUN + "/"), logs));
            }
        }
        for (String node : nodes) {
            Path state = options.workDir().resolve("state").resolve(node);
            Files.createDirectories(state);
            add(new ServiceProcess("agent", "agent-" + node, "128m", AgentProcess.class, List.of(),
                    List.of("--node=" + node, "--dispatchers=" + String.join(",", addresses.get(Workload.poolOf(nodes, node))),
                            "--token=chaos-" + RUN + "/" + node, "--state-dir=" + state,
                            "--out=" + agentsDir.resolve(node + ".json")), logs));
        }
        all.stream().filter(p -> !p.service.equals("broker")).forEach(ServiceProcess::start);
    }

    private void add(ServiceProcess process) {
        services.computeIfAbsent(process.service, s -> new ArrayList<>()).add(process);
        all.add(process);
    }

    private void restartDead() {
        for (ServiceProcess process : all) {
            if (process.diedOnItsOwn()) {
                unexpectedExits++;
                log(process.name + " exited by itself (" + process.exitCode() + "); restarting it");
                process.start();
            }
        }
    }

    private ServiceProcess pick(List<ServiceProcess> replicas) {
        return replicas.get(random.nextInt(replicas.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void log(String line) {
        System.out.println("chaos: " + java.time.LocalTime.now() + " " + line);
        System.out.flush();
    }
}
