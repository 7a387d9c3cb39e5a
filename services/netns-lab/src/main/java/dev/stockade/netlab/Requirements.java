package dev.stockade.netlab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Whether this process can build a {@link NetnsCluster} and probe it: root (network namespaces,
 * nftables), and {@code ip}, {@code nft} and {@code socat} on the PATH.
 */
public final class Requirements {

    /** The tools the lab and the nftables reconciler run. */
    public static final List<String> TOOLS = List.of("ip", "nft", "socat");

    /** How to get the tools on Debian/Ubuntu. */
    public static final String INSTALL_HINT = "apt-get install -y nftables iproute2 socat";

    private Requirements() {
    }

    /** What is missing, in one line naming it and the fix; empty when the lab can run here. */
    public static Optional<String> missing() {
        Shell.Result uid = Shell.run(List.of("id", "-u"), null, Duration.ofSeconds(5));
        if (!uid.ok() || !uid.stdout().strip().equals("0")) {
            return Optional.of("not root (network namespaces and nftables need root)");
        }
        for (String tool : TOOLS) {
            if (!onPath(tool)) {
                return Optional.of("'" + tool + "' is not installed (" + INSTALL_HINT + ")");
            }
        }
        return Optional.empty();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }
}
