package dev.stockade.chaos;

import dev.stockade.dispatcher.DispatcherReplica;
import dev.stockade.dispatcher.DispatcherSettings;
import dev.stockade.dispatcher.NodeTokens;
import dev.stockade.replication.ReplicatedCaches;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A dispatcher replica as a plain process, on a fixed port so that its pool's agents know both
 * replicas' addresses: {@code --bootstrap}, {@code --pool}, {@code --name}, {@code --port},
 * {@code --cluster}, {@code --nodes} (comma-separated; each node's token is {@code --token-prefix}
 * + node). The agent stream is plain {@code ws://} on loopback, explicitly allowed.
 */
public final class DispatcherProcess {

    private DispatcherProcess() {
    }

    public static void main(String[] argv) throws InterruptedException {
        Args args = Args.parse(argv);
        Map<String, String> tokens = Arrays.stream(args.get("nodes").split(","))
                .collect(Collectors.toMap(Function.identity(), node -> args.get("token-prefix") + node));
        DispatcherReplica.start(DispatcherSettings.defaults(args.get("bootstrap"), args.get("pool"), args.get("name")),
                new DispatcherReplica.Options(args.get("cluster"), ReplicatedCaches.LOOPBACK, "127.0.0.1",
                        Integer.parseInt(args.get("port")), NodeTokens.of(tokens), null, true));
        Args.parkForever();
    }
}
