package dev.stockade.netlab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A pod that talks without pause, to see the first packet that gets through: inside a pod's netns
 * ({@code ip netns exec}), one UDP flow per command sends a datagram every interval to a
 * {@link PodServer} and notes every answer. Times are wall-clock microseconds, comparable with the
 * test JVM's {@link Instant#now()} on the same machine ({@link #micros()}).
 *
 * <p>Commands on stdin, one per line: {@code talk <id> <source-ip|-> <destination-ip> <port>
 * <interval-micros> <duration-ms>} starts a flow (bound to the source address, {@code -} = any);
 * {@code stop <id>} ends it early. When a flow ends it prints {@code <id> sent=<n> first-sent=<us>
 * answers=<m> first-answer=<us|-> last-send-before-answer=<us|->}. Exits after {@code lifetime}
 * seconds or at end of input.
 *
 * <p>One flow, not a socket per datagram: a datagram dropped in the forward hook never confirms
 * its conntrack entry, so every datagram of a blocked flow meets the rules afresh, and the first
 * one sent after the rules open it passes. The socket is not connected: an answer counts whatever
 * address it comes from (a pod with several addresses answers from its first one).
 *
 * <p>Usage: {@code Chatter <lifetime-seconds>}
 */
public final class Chatter {

    private static final PrintStream OUT = System.out;
    private static final java.util.Map<String, Thread> FLOWS = new java.util.concurrent.ConcurrentHashMap<>();

    private Chatter() {
    }

    public static void main(String[] args) throws IOException {
        long lifetimeMillis = Long.parseLong(args[0]) * 1000;
        Thread reaper = new Thread(() -> {
            sleep(lifetimeMillis);
            System.exit(0);
        });
        reaper.setDaemon(true);
        reaper.start();
        OUT.println("ready");
        OUT.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.strip().split("\\s+");
            if (words[0].equals("talk") && words.length == 7) {
                Thread flow = new Thread(() -> talk(words[1], words[2], words[3], Integer.parseInt(words[4]),
                        Long.parseLong(words[5]), Long.parseLong(words[6])));
                FLOWS.put(words[1], flow);
                flow.start();
            } else if (words[0].equals("stop") && words.length == 2) {
                Thread flow = FLOWS.remove(words[1]);
                if (flow != null) {
                    flow.interrupt();
                }
            }
        }
        System.exit(0);
    }

    private static void talk(String id, String source, String destination, int port, long intervalMicros, long durationMillis) {
        long sent = 0;
        long answers = 0;
        long firstSent = -1;
        long firstAnswer = -1;
        long lastSendBeforeAnswer = -1;
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress(source.equals("-") ? null : InetAddress.getByName(source), 0));
            InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(destination), port);
            channel.configureBlocking(false);
            ByteBuffer answer = ByteBuffer.allocate(512);
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMillis);
            long nextSend = System.nanoTime();
            while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                if (System.nanoTime() >= nextSend) {
                    try {
                        channel.send(ByteBuffer.wrap(("probe " + sent + "\n").getBytes(StandardCharsets.UTF_8)), target);
                    } catch (IOException e) {
                        // ICMP errors of earlier datagrams (unreachable): the flow goes on.
                    }
                    long now = micros();
                    firstSent = firstSent < 0 ? now : firstSent;
                    if (firstAnswer < 0) {
                        lastSendBeforeAnswer = now;
                    }
                    sent++;
                    nextSend += TimeUnit.MICROSECONDS.toNanos(intervalMicros);
                }
                answer.clear();
                boolean read;
                try {
                    read = channel.receive(answer) != null;
                } catch (IOException e) {
                    read = false;
                }
                if (read) {
                    answers++;
                    firstAnswer = firstAnswer < 0 ? micros() : firstAnswer;
                } else {
                    if (nextSend - System.nanoTime() > 150_000) {
                        LockSupport.parkNanos(100_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }
        } catch (IOException e) {
            OUT.println(id + " error=" + e.getMessage().replace(' ', '_'));
        }
        synchronized (OUT) {
            OUT.println(id + " sent=" + sent + " first-sent=" + firstSent + " answers=" + answers + " first-answer="
                    + (firstAnswer < 0 ? "-" : firstAnswer) + " last-send-before-answer="
                    + (firstAnswer < 0 ? "-" : lastSendBeforeAnswer));
            OUT.flush();
        }
        FLOWS.remove(id);
    }

    /** Wall-clock microseconds since the epoch. */
    public static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What one flow saw; times in wall-clock microseconds, -1 for "never". */
    public record Flow(long sent, long firstSent, long answers, long firstAnswer, long lastSendBeforeAnswer) {

        public static Flow parse(String line) {
            java.util.Map<String, Long> values = new java.util.HashMap<>();
            for (String word : line.split(" ")) {
                int equals = word.indexOf('=');
                if (equals > 0) {
                    String value = word.substring(equals + 1);
                    values.put(word.substring(0, equals), value.equals("-") ? -1 : Long.parseLong(value));
                }
            }
            return new Flow(values.get("sent"), values.get("first-sent"), values.get("answers"), values.get("first-answer"),
                    values.get("last-send-before-answer"));
        }
    }

    /** A running Chatter in a pod's netns, seen from the test JVM. */
    public static final class Remote implements AutoCloseable {

        private final Process process;
        private final PrintStream commands;
        private final java.util.Map<String, java.util.concurrent.CompletableFuture<Flow>> flows =
                new java.util.concurrent.ConcurrentHashMap<>();

        private Remote(Process process) {
            this.process = process;
            this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        /** Starts a Chatter inside {@code netns} (bounded by {@code timeout}, so it dies even if this JVM is killed). */
        public static Remote start(String netns, int lifetimeSeconds) {
            String javaBin = ProcessHandle.current().info().command().orElse("java");
            try {
                String classes = java.nio.file.Path.of(Chatter.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toString();
                Process process = new ProcessBuilder("ip", "netns", "exec", netns, "timeout", String.valueOf(lifetimeSeconds),
                        javaBin, "-Xmx32m", "-XX:+UseSerialGC", "-cp", classes, Chatter.class.getName(),
                        String.valueOf(lifetimeSeconds)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                Remote remote = new Remote(process);
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                if (!"ready".equals(out.readLine())) {
                    process.destroyForcibly();
                    throw new IllegalStateException("chatter in " + netns + " did not start");
                }
                Thread reader = new Thread(() -> remote.read(out), "chatter-" + netns);
                reader.setDaemon(true);
                reader.start();
                return remote;
            } catch (IOException | java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Starts a flow: a datagram every {@code intervalMicros} from {@code source} (null = any) for at most {@code duration}. */
        public void talk(String id, String source, String destination, int port, long intervalMicros, java.time.Duration duration) {
            flows.put(id, new java.util.concurrent.CompletableFuture<>());
            commands.println("talk " + id + " " + (source == null ? "-" : source) + " " + destination + " " + port + " "
                    + intervalMicros + " " + duration.toMillis());
        }

        /** Ends a flow now and returns what it saw. */
        public Flow stop(String id) {
            commands.println("stop " + id);
            return await(id);
        }

        /** What a flow saw, once it ended. */
        public Flow await(String id) {
            try {
                return flows.get(id).get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("flow " + id + " did not report", e);
            }
        }

        private void read(BufferedReader out) {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    String id = line.substring(0, Math.max(0, line.indexOf(' ')));
                    java.util.concurrent.CompletableFuture<Flow> flow = flows.get(id);
                    if (flow != null) {
                        if (line.contains(" error=")) {
                            flow.completeExceptionally(new IllegalStateException(line));
                        } else {
                            flow.complete(Flow.parse(line));
                        }
                    }
                }
            } catch (IOException e) {
                // the chatter ended
            }
        }

        @Override
        public void close() {
            commands.close();
            process.destroyForcibly();
        }
    }
}
