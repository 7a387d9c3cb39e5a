package dev.stockade.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** {@link AgentMain} fails closed on plain text: no {@code --tls-ca} and no {@code --allow-plaintext} means no start. */
class AgentMainTest {

    private static final String[] NO_TLS = {"--node=node-1", "--dispatchers=127.0.0.1:1", "--token=t"};

    @Test
    void withoutTlsCaAndWithoutAllowPlaintextTheProcessExitsTwoNamingTheOption() throws Exception {
        Result result = run(NO_TLS);

        assertEquals(AgentMain.BAD_ARGUMENTS, result.exit(), result.output());
        assertTrue(result.output().contains("--allow-plaintext"), result.output());
        assertTrue(result.output().contains("--tls-ca"), result.output());
        assertFalse(result.output().contains(AgentMain.ENFORCING), result.output());
    }

    @Test
    void anAllowPlaintextThatIsNeitherTrueNorFalseIsABadArgument() throws Exception {
        Result result = run("--node=node-1", "--dispatchers=127.0.0.1:1", "--allow-plaintext=yes");

        assertEquals(AgentMain.BAD_ARGUMENTS, result.exit(), result.output());
        assertTrue(result.output().contains("--allow-plaintext"), result.output());
    }

    @Test
    void allowPlaintextFalseIsTheSameAsAbsent() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> AgentMain.settings(AgentMain.options(new String[] {"--node=node-1", "--dispatchers=127.0.0.1:1",
                    "--allow-plaintext=false"})));

        assertTrue(refused.getMessage().contains("--allow-plaintext=true"), refused.getMessage());
    }

    @Test
    void allowPlaintextGivesPlainWebSocketsAndWarnsThatTheStreamIsUnencrypted() {
        List<LogRecord> logged = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(AgentMain.class.getName());
        logger.addHandler(handler);
        try {
            AgentSettings settings = AgentMain.settings(AgentMain.options(new String[] {"--node=node-1",
                "--dispatchers=127.0.0.1:1", "--allow-plaintext=true"}));

            assertEquals(List.of(URI.create("ws://127.0.0.1:1" + AgentSettings.STREAM_PATH)), settings.dispatchers());
            assertTrue(settings.allowPlaintext());
            assertNull(settings.tls());
        } finally {
            logger.removeHandler(handler);
        }
        assertTrue(logged.stream().anyMatch(record -> record.getLevel() == Level.WARNING
                && record.getMessage().contains("unencrypted")), () -> "no WARN: " + logged);
    }

    private record Result(int exit, String output) {
    }

    /** {@link AgentMain} as its own process, with none of the agent's environment variables set. */
    private static Result run(String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                AgentMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        List.of("NODE_NAME", "STOCKADE_DISPATCHER_ADDRESS", "STOCKADE_AGENT_TOKEN", "STOCKADE_AGENT_TLS_CA",
                "STOCKADE_AGENT_ALLOW_PLAINTEXT", "STOCKADE_AGENT_STATE_DIR", "STOCKADE_NETNS").forEach(environment::remove);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("AgentMain did not exit: " + new String(process.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
