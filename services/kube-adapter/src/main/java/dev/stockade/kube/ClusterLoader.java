package dev.stockade.kube;

import dev.stockade.core.engine.ApplyResult;
import dev.stockade.core.engine.DeltaFold;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.ResourceEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Feeds a manifest directory (as ADDED events, in file order) and then watch events (one at a
 * time) through the incremental engine, folding every delta as agents would. Problems (rejected
 * objects, ignored kinds, bad lines) go to a warning sink and never stop the load.
 */
public final class ClusterLoader {

    private final Consumer<String> warnings;
    private final Engine engine = new Engine();
    private final DeltaFold agents = new DeltaFold();

    public ClusterLoader(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    /** The engine and what the agents hold after a load. */
    public record Loaded(Engine engine, DeltaFold agents) {
    }

    /** Manifests, then every event of the file (none when {@code events} is null). */
    public Loaded load(Path manifests, Path events) {
        applyManifests(manifests);
        if (events != null) {
            applyEvents(new WatchEventReader().read(events), events.toString());
        }
        return loaded();
    }

    /** Applies every object of a manifest directory as an ADDED event. */
    public void applyManifests(Path manifests) {
        for (ManifestReader.Decoded decoded : new ManifestReader().readDirectory(manifests)) {
            decoded.converted().ignored().ifPresent(why -> warnings.accept(decoded.source() + ": ignored: " + why));
            decoded.converted().rejections().forEach(rejection -> warnings.accept(decoded.source() + ": rejected: " + rejection));
            decoded.converted().resource().ifPresent(resource -> apply(ResourceEvent.added(resource), decoded.source()));
        }
    }

    /** Applies decoded watch-event lines in order; {@code origin} names their file in warnings. */
    public void applyEvents(List<WatchEventReader.DecodedEvent> lines, String origin) {
        for (WatchEventReader.DecodedEvent line : lines) {
            String source = origin + ":" + line.line();
            line.problem().ifPresent(why -> warnings.accept(source + ": skipped: " + why));
            line.rejections().forEach(rejection -> warnings.accept(source + ": rejected: " + rejection));
            line.event().ifPresent(event -> apply(event, source));
        }
    }

    public Loaded loaded() {
        return new Loaded(engine, agents);
    }

    private void apply(ResourceEvent event, String source) {
        ApplyResult result = engine.apply(event);
        result.rejections().forEach(rejection -> warnings.accept(source + ": rejected: " + rejection));
        result.deltas().forEach(agents::apply);
    }
}
