package dev.stockade.kube;

import dev.stockade.core.engine.ApplyResult;
import dev.stockade.core.engine.DeltaFold;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.ResourceEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Feeds a manifest directory (as ADDED events, in file order) and then watch events (one at a
 * time) through the incremental engine, folding every delta as agents would. Problems (rejected
 * objects, unreadable files, ignored kinds, bad lines) go to a warning sink and never stop the
 * load; {@link Loaded#leftOut()} says what the result does not include.
 */
public final class ClusterLoader {

    private final Consumer<String> warnings;
    private final Engine engine = new Engine();
    private final DeltaFold agents = new DeltaFold();
    private final List<Rejection> rejections = new ArrayList<>();
    private final List<String> unreadable = new ArrayList<>();
    private int skippedLines;

    public ClusterLoader(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    /** The engine and what the agents hold after a load, and what the load left out. */
    public record Loaded(Engine engine, DeltaFold agents, LeftOut leftOut) {
    }

    /**
     * Input the result does not reflect: every rejection (an object refused whole, or a field
     * refused and read failing closed), files that could not be read or parsed ({@code file: why}),
     * and watch-event lines that could not be used. Kinds Stockade does not read are not left out:
     * they are not part of what it decides.
     */
    public record LeftOut(List<Rejection> rejections, List<String> unreadableFiles, int skippedEventLines) {

        public LeftOut {
            rejections = List.copyOf(rejections);
            unreadableFiles = List.copyOf(unreadableFiles);
        }

        public boolean isEmpty() {
            return rejections.isEmpty() && unreadableFiles.isEmpty() && skippedEventLines == 0;
        }
    }

    /** Manifests, then every event of the file (none when {@code events} is null). */
    public Loaded load(Path manifests, Path events) {
        applyManifests(manifests);
        if (events != null) {
            applyEvents(new WatchEventReader().read(events), events.toString());
        }
        return loaded();
    }

    /**
     * Applies every object of a manifest directory as an ADDED event, file by file (a file's objects
     * are applied once it has been read whole: an unreadable file is left out entirely), all in one
     * engine step: each node gets one delta for the whole directory instead of one per object,
     * which folds to the same rule sets (the engine's property tests) at a fraction of the cost.
     */
    public void applyManifests(Path manifests) {
        ManifestReader reader = new ManifestReader();
        Engine.Step step = engine.step();
        int read = 0;
        for (Path file : ManifestReader.manifestFiles(manifests)) {
            for (ManifestReader.Decoded decoded : reader.readFile(file)) {
                read++;
                decoded.unreadable().ifPresent(why -> {
                    unreadable.add(decoded.source() + ": " + why);
                    warnings.accept(decoded.source() + ": unreadable, left out: " + why);
                });
                decoded.converted().ignored().ifPresent(why -> warnings.accept(decoded.source() + ": ignored: " + why));
                decoded.converted().rejections().forEach(rejection -> reject(rejection, decoded.source()));
                decoded.converted().resource().ifPresent(resource ->
                        step.apply(ResourceEvent.added(resource)).forEach(rejection -> reject(rejection, decoded.source())));
            }
        }
        step.finish().forEach(agents::apply);
        if (read == 0) {
            warnings.accept(manifests + ": no *.yaml, *.yml or *.json manifests here: the cluster is empty");
        }
    }

    /** Applies decoded watch-event lines in order; {@code origin} names their file in warnings. */
    public void applyEvents(List<WatchEventReader.DecodedEvent> lines, String origin) {
        for (WatchEventReader.DecodedEvent line : lines) {
            String source = origin + ":" + line.line();
            line.problem().ifPresent(why -> {
                skippedLines++;
                warnings.accept(source + ": skipped: " + why);
            });
            line.rejections().forEach(rejection -> reject(rejection, source));
            line.event().ifPresent(event -> apply(event, source));
        }
    }

    public Loaded loaded() {
        return new Loaded(engine, agents, new LeftOut(rejections, unreadable, skippedLines));
    }

    private void apply(ResourceEvent event, String source) {
        ApplyResult result = engine.apply(event);
        result.rejections().forEach(rejection -> reject(rejection, source));
        result.deltas().forEach(agents::apply);
    }

    private void reject(Rejection rejection, String source) {
        rejections.add(rejection);
        warnings.accept(source + ": rejected: " + rejection);
    }
}
