package dev.stockade.netlab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Runs a probe client and stops it as soon as the expected answer shows up, or at the deadline. */
final class Probing {

    private Probing() {
    }

    /** Runs {@code command} with {@code input} ("\n" escapes a newline); returns stdout seen before {@code wanted} or the deadline. */
    static String readUntil(List<String> command, String input, String wanted, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return "cannot start: " + e.getMessage();
        }
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        try (OutputStream stdin = process.getOutputStream(); InputStream stdout = process.getInputStream()) {
            stdin.write(input.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            while (System.nanoTime() < deadline && !seen.toString(StandardCharsets.UTF_8).contains(wanted)) {
                int available = stdout.available();
                if (available > 0) {
                    seen.write(stdout.readNBytes(available));
                } else if (!process.isAlive()) {
                    seen.write(stdout.readAllBytes());
                    break;
                } else {
                    Thread.sleep(5);
                }
            }
        } catch (IOException e) {
            // The client exited; what it printed is in seen.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroyForcibly();
        }
        return seen.toString(StandardCharsets.UTF_8);
    }
}
