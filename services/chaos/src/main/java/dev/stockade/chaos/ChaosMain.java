package dev.stockade.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The kill -9 chaos harness ({@link ChaosRun}). Options: {@code --duration=10m} (s, m suffixes;
 * default 60s), {@code --min-kills=10}, {@code --agents=6}, {@code --rate=100} (events per second),
 * {@code --seed=1}, {@code --converge-timeout=60s}, {@code --brokers=3} (3: a KRaft cluster whose
 * brokers are killed too; 1: one broker, never killed), {@code --work-dir=DIR} (default a new temp
 * dir; logs/ holds every process's output, kafka/ the brokers' logs). Prints the summary; exits 0 when every quiet point
 * converged, nothing differs at the end and no effect was duplicated, else 1.
 *
 * <p>{@code java -jar services/chaos/target/stockade-chaos.jar --duration=10m}
 */
public final class ChaosMain {

    private ChaosMain() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        ChaosRun.Result result = new ChaosRun(options(args)).run();
        System.out.print(result.summary());
        System.exit(result.allConverged() && result.diffs() == 0 && result.duplicates() == 0 ? 0 : 1);
    }

    static ChaosRun.Options options(Args args) throws java.io.IOException {
        Path work = args.values().containsKey("work-dir") ? Path.of(args.get("work-dir"))
                : Files.createTempDirectory("stockade-chaos-");
        return new ChaosRun.Options(duration(args.get("duration", "60s")), Integer.parseInt(args.get("min-kills", "10")),
                Integer.parseInt(args.get("agents", "6")), Integer.parseInt(args.get("rate", "100")), work,
                Long.parseLong(args.get("seed", "1")), duration(args.get("converge-timeout", "60s")),
                Integer.parseInt(args.get("brokers", "3")));
    }

    static Duration duration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            default -> throw new IllegalArgumentException("a duration is like 60s or 10m, not " + text);
        };
    }
}
