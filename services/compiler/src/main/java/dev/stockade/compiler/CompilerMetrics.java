package dev.stockade.compiler;

import dev.stockade.core.model.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The compiler's metrics (names are the dashboard's contract in {@code k8s/README.md}).
 * Rejections are counted by kind and by the rejected field with list indices removed
 * ({@code spec.ingress[].from[].ipBlock.cidr}), which keeps the label's values bounded. The
 * per-event counters are kept at hand: looking them up in the registry cost ~3 % of the loop.
 */
final class CompilerMetrics {

    private static final Pattern LIST_INDEX = Pattern.compile("\\[[^\\]]*\\]");

    private final MeterRegistry registry;
    private final Timer compile;
    private final Timer deltas;
    private final Counter deadLetters;
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong active = new AtomicLong();
    private final Map<String, Counter> consumedByKind = new ConcurrentHashMap<>();
    private final Map<String, Counter> deltasByNode = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejectedByKindAndReason = new ConcurrentHashMap<>();

    CompilerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.compile = Timer.builder("stockade.compiler.compile").description("compile time per event")
                .publishPercentileHistogram().register(registry);
        this.deltas = Timer.builder("stockade.compiler.deltas")
                .description("time to work out a batch's per-node deltas, once its events are applied")
                .publishPercentileHistogram().register(registry);
        this.deadLetters = Counter.builder("stockade.compiler.dead.letters").description("undecodable records")
                .register(registry);
        registry.gauge("stockade.compiler.consumer.lag", lag);
        registry.gauge("stockade.compiler.active", active);
    }

    void consumed(String kind) {
        consumedByKind.computeIfAbsent(kind, k -> registry.counter("stockade.compiler.events.consumed", "kind", k))
                .increment();
    }

    /** Applying one event to the engine's state and groups (its deltas come with its batch's). */
    Timer compileTimer() {
        return compile;
    }

    Timer deltasTimer() {
        return deltas;
    }

    void delta(String node) {
        deltasByNode.computeIfAbsent(node, n -> registry.counter("stockade.compiler.deltas.produced", "node", n))
                .increment();
    }

    void rejected(Rejection rejection) {
        String kind = rejection.object().kind().displayName();
        String field = LIST_INDEX.matcher(rejection.field()).replaceAll("[]");
        String reason = field.isEmpty() ? "object" : field;
        rejectedByKindAndReason.computeIfAbsent(kind + " " + reason,
                k -> registry.counter("stockade.compiler.rejected.objects", "kind", kind, "reason", reason)).increment();
    }

    void deadLetter() {
        deadLetters.increment();
    }

    void lag(long records) {
        lag.set(records);
    }

    void active(boolean isActive) {
        active.set(isActive ? 1 : 0);
    }
}
