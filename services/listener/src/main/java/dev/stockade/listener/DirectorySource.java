package dev.stockade.listener;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.kube.ManifestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A directory of manifests standing in for a cluster (the embedded demo): every object in its
 * {@code *.yaml|*.yml|*.json} files (walked recursively) exists; editing, adding or removing a
 * file changes the cluster. The directory is rescanned every {@code interval} (polling: it works
 * the same on every filesystem, including bind mounts where inotify is silent); a file is
 * re-read only when its modification time or size changed, and each scan is diffed against the
 * previous one to report upserts and deletes.
 *
 * <p>A file that cannot be parsed (say, half-written by an editor) keeps the objects it had at
 * the last good read, so a save in progress never looks like a mass delete. When two files define
 * the same object, the one later in path order wins.
 */
public final class DirectorySource implements ClusterSource {

    private static final ManifestReader MANIFESTS = new ManifestReader();

    private static final Logger LOG = Logger.getLogger(DirectorySource.class);

    /** One file as last read: its stamp and objects. */
    private record FileState(FileTime modified, long size, List<JsonNode> objects) {
    }

    private final Path directory;
    private final Duration interval;
    private final Map<Path, FileState> files = new HashMap<>();
    private volatile Map<ResourceKey, JsonNode> current = Map.of();
    private volatile boolean synced;
    private ScheduledExecutorService scanner;
    private SourceListener listener;

    public DirectorySource(Path directory, Duration interval) {
        this.directory = directory.toAbsolutePath().normalize();
        this.interval = interval;
    }

    @Override
    public synchronized void start(SourceListener listener) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(directory + " is not a directory");
        }
        this.listener = listener;
        scanner = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stockade-directory-source");
            thread.setDaemon(true);
            return thread;
        });
        scanner.scheduleWithFixedDelay(this::scanQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean synced() {
        return synced;
    }

    @Override
    public Map<ResourceKey, JsonNode> current() {
        return current;
    }

    @Override
    public synchronized void close() {
        if (scanner != null) {
            scanner.shutdownNow();
            try {
                scanner.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException | IOException e) {
            LOG.warnf("scan of %s failed: %s", directory, e.getMessage());
        }
    }

    /** Reads what changed, reports the difference to the previous scan. */
    void scan() throws IOException {
        Map<ResourceKey, JsonNode> next = objectsByKey(refreshFiles());
        Map<ResourceKey, JsonNode> previous = current;
        current = Map.copyOf(next);
        next.forEach((key, object) -> {
            if (!Objects.equals(previous.get(key), object)) {
                listener.upsert(object);
            }
        });
        previous.keySet().stream().filter(key -> !next.containsKey(key)).forEach(listener::delete);
        if (!synced) {
            synced = true;
            listener.initialListDone();
        }
    }

    /** The manifest files now, re-read where their stamp changed; in path order. */
    private TreeMap<Path, FileState> refreshFiles() throws IOException {
        TreeMap<Path, FileState> now = new TreeMap<>();
        for (Path file : ManifestReader.manifestFiles(directory)) {
            try {
                now.put(file, refresh(file, files.get(file)));
            } catch (NoSuchFileException deletedSinceListed) {
                // Gone between the listing and its stat: deleted, so its objects are not in this scan.
            }
        }
        files.clear();
        files.putAll(now);
        return now;
    }

    private static FileState refresh(Path file, FileState before) throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        long size = Files.size(file);
        if (before != null && before.modified().equals(modified) && before.size() == size) {
            return before;
        }
        try {
            return new FileState(modified, size, MANIFESTS.objects(file).stream().map(ManifestReader.Document::object).toList());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot read %s (keeping its previous objects): %s", file, e.getMessage());
            return new FileState(modified, size, before == null ? List.of() : before.objects());
        }
    }

    private static Map<ResourceKey, JsonNode> objectsByKey(TreeMap<Path, FileState> files) {
        Map<ResourceKey, JsonNode> byKey = new HashMap<>();
        files.forEach((file, state) -> state.objects()
                .forEach(object -> ResourceKeys.of(object).ifPresent(key -> byKey.put(key, object))));
        return byKey;
    }
}
