package dev.stockade.chaos;

import dev.stockade.listener.DirectorySource;
import dev.stockade.listener.Leadership;
import dev.stockade.listener.Listener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The listener as a plain process: {@link Listener} with a {@link DirectorySource} (the manifest
 * directory is the cluster) and sole leadership. {@code --bootstrap}, {@code --dir}.
 */
public final class ListenerProcess {

    private ListenerProcess() {
    }

    public static void main(String[] argv) throws InterruptedException {
        Args args = Args.parse(argv);
        Listener.start(new DirectorySource(Path.of(args.get("dir")), Duration.ofMillis(100)), Leadership.sole(),
                new Listener.Settings("stockade.resources", Map.of("bootstrap.servers", args.get("bootstrap")),
                        "chaos-listener", Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(60)),
                new SimpleMeterRegistry());
        Args.parkForever();
    }
}
