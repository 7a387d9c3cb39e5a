package dev.stockade.compiler.service;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This replica's name: configured, else the host (pod) name. */
final class ReplicaName {

    private ReplicaName() {
    }

    static String of(CompilerConfig config) {
        return config.replicaId().orElseGet(() -> {
            String host = System.getenv("HOSTNAME");
            if (host != null && !host.isBlank()) {
                return host;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "compiler-" + ProcessHandle.current().pid();
            }
        });
    }
}
