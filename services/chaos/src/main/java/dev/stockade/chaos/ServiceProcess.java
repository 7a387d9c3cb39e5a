package dev.stockade.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One replica of a service as an OS process ({@code java -cp <the harness's class path> Main args}), killed with SIGKILL. */
final class ServiceProcess {

    final String service;
    final String name;
    private final List<String> command;
    private final Path log;
    private Process process;
    private boolean killed;
    int starts;

    ServiceProcess(String service, String name, String heap, Class<?> main, List<String> jvmOptions, List<String> args,
                   Path logs) {
        this.service = service;
        this.name = name;
        this.log = logs.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
                // Milliseconds in every line, to line the processes' logs up with the harness's kills.
                "-Djava.util.logging.SimpleFormatter.format=%1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n",
                // JBoss Logging (the listener, Quarkus-side classes) through java.util.logging, so it prints too.
                "-Dorg.jboss.logging.provider=jdk"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        this.command = cmd;
    }

    /** Starts (again); output appended to {@code logs/<name>.log}. */
    void start() {
        mark("started");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            killed = false;
            starts++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kill -9}: SIGKILL, no shutdown hook runs; waits until the process is gone. */
    void kill() throws InterruptedException {
        mark("kill -9");
        killed = true;
        try {
            new ProcessBuilder("kill", "-9", String.valueOf(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            process.destroyForcibly();
        }
        process.waitFor();
    }

    /** A line of the harness's own in the process's log: what it did to the process, and when. */
    private void mark(String what) {
        try {
            java.nio.file.Files.writeString(log, java.time.LocalTime.now() + " ===== chaos: " + what + " =====\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Exited without being killed by the harness. */
    boolean diedOnItsOwn() {
        return process != null && !killed && !process.isAlive();
    }

    int exitCode() {
        return process.exitValue();
    }

    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
