package dev.stockade.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the NetworkPolicy cases are: the project's own ({@code services/testdata/netpol-cases},
 * always there; property {@code stockade.repo.dir} names the repository, else it is found upwards
 * from the working directory) and the upstream e2e corpus ({@code ../shared/conformance}; property
 * {@code stockade.conformance.dir}, else found upwards), extra input when present, never copied in.
 */
public final class NetpolCorpus {

    /** The project's own corpus. */
    public static final String OWN = "own";
    /** The upstream e2e corpus of {@code ../shared/conformance}. */
    public static final String UPSTREAM = "upstream";
    private static final String OWN_PATH = "services/testdata/netpol-cases";

    private NetpolCorpus() {
    }

    /** The own corpus's folder. */
    public static Path ownDir() {
        String repo = System.getProperty("stockade.repo.dir");
        if (repo != null && Files.isDirectory(Path.of(repo, OWN_PATH))) {
            return Path.of(repo, OWN_PATH);
        }
        return upwards(OWN_PATH).orElseThrow(() -> new IllegalStateException(
                "the project's own cases (" + OWN_PATH + ") not found; set -Dstockade.repo.dir"));
    }

    /** The upstream corpus's folder; empty when it is not there. */
    public static Optional<Path> upstreamDir() {
        String configured = System.getProperty("stockade.conformance.dir");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Optional.of(Path.of(configured));
        }
        return upwards("shared/conformance");
    }

    /** One own case; a missing one is a broken repository, so this throws. */
    public static NetpolCase own(String name) {
        Path dir = ownDir().resolve(name);
        if (!Files.isDirectory(dir.resolve("manifests"))) {
            throw new IllegalStateException("own case missing (it is part of the repository): " + dir.toAbsolutePath());
        }
        return NetpolCase.load(OWN, dir);
    }

    /** These upstream cases; none when the upstream corpus is absent. */
    public static List<NetpolCase> upstream(List<String> names) {
        return upstreamDir().map(corpus -> names.stream().map(name -> NetpolCase.load(UPSTREAM, corpus.resolve(name))).toList())
                .orElse(List.of());
    }

    /** These own cases, then these upstream ones when the upstream corpus is there. */
    public static List<NetpolCase> ownThenUpstream(List<String> own, List<String> upstream) {
        List<NetpolCase> cases = new ArrayList<>();
        own.forEach(name -> cases.add(own(name)));
        cases.addAll(upstream(upstream));
        return cases;
    }

    /** Every own case, then every upstream case when the upstream corpus is there, each in name order. */
    public static List<NetpolCase> all() {
        List<NetpolCase> cases = new ArrayList<>(casesIn(OWN, ownDir()));
        upstreamDir().ifPresent(dir -> cases.addAll(casesIn(UPSTREAM, dir)));
        return cases;
    }

    private static List<NetpolCase> casesIn(String corpus, Path root) {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(dir -> Files.isRegularFile(dir.resolve("expected.json"))).sorted()
                    .map(dir -> NetpolCase.load(corpus, dir)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(root + " unreadable", e);
        }
    }

    private static Optional<Path> upwards(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
