package dev.stockade.bench.pipeline;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a phase's CPU went: the process's CPU time, split by the role of the Java threads that used
 * it (broker, compiler loop, ...), the JVM's JIT and GC threads (read from {@code /proc}, Linux
 * only), and the rest: threads that ended before the phase did (a closed client's I/O thread).
 * With everything in one JVM on a small machine this says whether a phase was bound by the
 * compiler or by the machine.
 */
public final class CpuAccount {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static final double SECONDS_PER_TICK = 0.01;

    private final long processNanos;
    private final Map<String, Long> jvmTicks;
    private final Map<Long, Long> threadNanos;
    private final Map<Long, String> threadNames;

    private CpuAccount(long processNanos, Map<String, Long> jvmTicks, Map<Long, Long> threadNanos,
                       Map<Long, String> threadNames) {
        this.processNanos = processNanos;
        this.jvmTicks = jvmTicks;
        this.threadNanos = threadNanos;
        this.threadNames = threadNames;
    }

    public static CpuAccount now() {
        Map<Long, Long> nanos = new LinkedHashMap<>();
        Map<Long, String> names = new LinkedHashMap<>();
        for (ThreadInfo thread : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (thread != null) {
                nanos.put(thread.getThreadId(), THREADS.getThreadCpuTime(thread.getThreadId()));
                names.put(thread.getThreadId(), thread.getThreadName());
            }
        }
        return new CpuAccount(PROCESS.getProcessCpuTime(), jvmThreadTicks(), nanos, names);
    }

    /** CPU seconds per role since {@code before}: the total first, then the roles, the JIT and the rest. */
    public Map<String, Double> since(CpuAccount before) {
        Map<String, Double> byRole = new TreeMap<>();
        double javaThreads = 0;
        for (Map.Entry<Long, Long> thread : threadNanos.entrySet()) {
            long used = thread.getValue() - before.threadNanos.getOrDefault(thread.getKey(), 0L);
            if (thread.getValue() >= 0 && used > 0) {
                byRole.merge(role(threadNames.get(thread.getKey())), used / 1e9, Double::sum);
                javaThreads += used / 1e9;
            }
        }
        double total = (processNanos - before.processNanos) / 1e9;
        Map<String, Double> account = new LinkedHashMap<>();
        account.put("total", total);
        account.putAll(byRole);
        double jvm = 0;
        for (String role : List.of("JIT", "GC")) {
            double seconds = jvmTicks.entrySet().stream().filter(task -> task.getKey().startsWith(role + " "))
                    .mapToLong(task -> task.getValue() - before.jvmTicks.getOrDefault(task.getKey(), 0L))
                    .sum() * SECONDS_PER_TICK;
            account.put(role, seconds);
            jvm += seconds;
        }
        account.put("ended threads and other", Math.max(0, total - javaThreads - jvm));
        return account;
    }

    /** CPU ticks (utime + stime) of the JVM's compiler and GC threads, keyed "role tid"; empty off Linux. */
    private static Map<String, Long> jvmThreadTicks() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                readTicks(task, ticks);
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return ticks;
    }

    /** Adds the task's ticks when it is a JIT or GC thread; a task that ended meanwhile is skipped. */
    private static void readTicks(Path task, Map<String, Long> ticks) {
        try {
            String name = Files.readString(task.resolve("comm")).trim();
            String role = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? "JIT"
                    : name.startsWith("GC Thread") || name.startsWith("G1 ") ? "GC" : null;
            if (role != null) {
                String stat = Files.readString(task.resolve("stat"));
                // fields after the parenthesised name: state is the 3rd field, utime the 14th, stime the 15th
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(role + " " + task.getFileName(), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
            }
        } catch (IOException e) {
            // the thread ended between listing and reading
        }
    }

    /** One line: each role's CPU seconds and share of the total. */
    public static String describe(Map<String, Double> account) {
        double total = account.get("total");
        StringBuilder line = new StringBuilder(String.format("%.1f CPU s", total));
        account.forEach((role, seconds) -> {
            if (!role.equals("total") && seconds >= 0.05) {
                line.append(String.format("; %s %.1f s (%.0f %%)", role, seconds, 100 * seconds / total));
            }
        });
        return line.toString();
    }

    private static String role(String thread) {
        if (thread.equals("compiler")) {
            return "compiler loop";
        } else if (thread.startsWith("compiler-commit")) {
            return "compiler commits";
        } else if (thread.startsWith("ForkJoinPool")) {
            return "compiler decoding (pool)";
        } else if (thread.startsWith("kafka-producer-network-thread")) {
            return "producers' I/O";
        } else if (thread.contains("kafka") || thread.contains("Txn") || thread.contains("coordinator")
                || thread.contains("controller") || thread.contains("raft") || thread.contains("log")) {
            return "broker";
        } else if (thread.startsWith("jgroups") || thread.contains("infinispan") || thread.startsWith("blocking-thread")
                || thread.startsWith("non-blocking-thread") || thread.startsWith("timeout-thread")) {
            return "infinispan";
        }
        return "benchmark clients";
    }
}
