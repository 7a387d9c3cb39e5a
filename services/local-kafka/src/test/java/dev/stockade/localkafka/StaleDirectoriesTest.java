package dev.stockade.localkafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A broker directory outlives a JVM killed with {@code kill -9}; the next start's cleanup removes it, and only it. */
class StaleDirectoriesTest {

    @Test
    void theDirectoryOfAGoneJvmIsRemovedAndThatOfALiveOneIsKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path stale = Files.createTempDirectory(tmp, "stockade-kafka-" + gone.pid() + "-");
        Files.writeString(Files.createDirectories(stale.resolve("log")).resolve("00.log"), "x");
        Path live = Files.createTempDirectory(tmp, "stockade-kafka-" + ProcessHandle.current().pid() + "-");
        try {
            LocalKafka.removeStale();
            assertFalse(Files.exists(stale), "the gone JVM's directory is removed: " + stale);
            assertTrue(Files.exists(live), "a running JVM's directory is kept: " + live);
        } finally {
            LocalKafka.Directories.deleteQuietly(live);
            LocalKafka.Directories.deleteQuietly(stale);
        }
    }
}
