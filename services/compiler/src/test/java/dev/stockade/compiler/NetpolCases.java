package dev.stockade.compiler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The NetworkPolicy cases the pipeline tests feed, read in place: the project's own
 * ({@code services/testdata/netpol-cases}; property {@code stockade.repo.dir} names the repository),
 * always there, and the upstream e2e corpus of {@code ../shared/conformance} (property
 * {@code stockade.conformance.dir}), extra input when present and never copied in.
 */
final class NetpolCases {

    /** A case folder and the corpus it came from; shown as {@code [own] np01-default-deny-ingress}. */
    record Case(String corpus, Path dir) {
        @Override
        public String toString() {
            return "[" + corpus + "] " + dir.getFileName();
        }
    }

    private static final Path OWN = Path.of(System.getProperty("stockade.repo.dir", "../.."), "services/testdata/netpol-cases");
    private static final Path UPSTREAM = Path.of(System.getProperty("stockade.conformance.dir", "../../../shared/conformance"));

    private NetpolCases() {
    }

    /** These own cases, then these upstream ones when {@code ../shared/conformance} is there. */
    static List<Case> ownThenUpstream(List<String> own, List<String> upstream) {
        List<Case> cases = new ArrayList<>();
        for (String name : own) {
            Path dir = OWN.resolve(name);
            if (!Files.isDirectory(dir.resolve("manifests"))) {
                throw new IllegalStateException("own case missing (it is part of the repository): " + dir.toAbsolutePath());
            }
            cases.add(new Case("own", dir));
        }
        if (Files.isDirectory(UPSTREAM)) {
            upstream.forEach(name -> cases.add(new Case("upstream", UPSTREAM.resolve(name))));
        }
        return cases;
    }
}
