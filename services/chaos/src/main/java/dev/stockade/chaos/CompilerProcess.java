package dev.stockade.chaos;

import dev.stockade.compiler.CacheManagers;
import dev.stockade.compiler.CompilerLoop;
import dev.stockade.compiler.CompilerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.infinispan.manager.EmbeddedCacheManager;

/**
 * A compiler replica as a plain process: its Infinispan member (JGroups on loopback, the port
 * block from {@code -Dstockade.jgroups.port}) and {@link CompilerLoop} on the main thread.
 * {@code --bootstrap}, {@code --name}, {@code --cluster}. Exits 1 when the loop fails.
 */
public final class CompilerProcess {

    private CompilerProcess() {
    }

    public static void main(String[] argv) {
        Args args = Args.parse(argv);
        EmbeddedCacheManager member = CacheManagers.start(args.get("cluster"), args.get("name"), "jgroups-loopback.xml");
        System.err.println(java.time.LocalTime.now() + " Infinispan member up, " + member.getMembers().size()
                + " member(s) in the view; the loop starts");
        CompilerLoop loop = new CompilerLoop(CompilerSettings.defaults(args.get("bootstrap"), args.get("name")),
                member.getCache(CacheManagers.STATE_CACHE), new SimpleMeterRegistry(), Clock.systemUTC());
        loop.run();
        System.err.println("compiler loop ended: " + loop.role());
        System.exit(loop.role() == CompilerLoop.Role.FAILED ? 1 : 0);
    }
}
