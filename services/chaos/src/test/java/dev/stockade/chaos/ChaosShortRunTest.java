package dev.stockade.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chaos harness's short run, part of the build's tests: at least 60 s and 10 kill -9s across
 * every service (each one at least once, one of the 3 brokers included, both compilers together
 * once), 100 events per second;
 * every quiet point converges to a fresh full compile, nothing differs at the end, no effect is
 * duplicated. {@code -Dchaos.duration=10m} runs the long version.
 */
class ChaosShortRunTest {

    @Test
    void killingRandomReplicasLeavesEveryAgentWithTheFullCompile() throws Exception {
        ChaosRun.Options options = new ChaosRun.Options(ChaosMain.duration(System.getProperty("chaos.duration", "60s")),
                10, 6, 100, Files.createTempDirectory("stockade-chaos-"), 1, ChaosMain.duration("60s"), 3);
        ChaosRun.Result result = new ChaosRun(options).run();
        System.out.print(result.summary());
        System.out.println("work dir (process logs): " + options.workDir());
        assertTrue(result.kills().size() >= 10, "kills: " + result.kills().size());
        Set<String> services = result.kills().stream().map(ChaosRun.Kill::service).collect(Collectors.toSet());
        assertTrue(services.containsAll(Set.of("listener", "compiler", "compilers", "dispatcher", "agent", "broker")), services::toString);
        assertTrue(result.allConverged(), "every quiet point converged");
        assertEquals(0, result.diffs(), "diffs");
        assertEquals(0, result.duplicates(), "duplicated effects");
    }
}
