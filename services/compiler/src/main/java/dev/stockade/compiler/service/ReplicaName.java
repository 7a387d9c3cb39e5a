package dev.stockade.compiler.service;

import dev.stockade.replication.ReplicatedCaches;

/** This replica's name: configured, else the host (pod) name. */
final class ReplicaName {

    private ReplicaName() {
    }

    static String of(CompilerConfig config) {
        return config.replicaId().orElseGet(() -> ReplicatedCaches.podName("HOSTNAME", "compiler"));
    }
}
