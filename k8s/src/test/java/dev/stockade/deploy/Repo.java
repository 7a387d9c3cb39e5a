package dev.stockade.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and its k8s/ directory are, whether run from the root or from k8s/. */
final class Repo {
    private Repo() {
    }

    /** The repository root: system property {@code stockade.repo.dir} (set by the parent POM), else found upward. */
    static Path root() {
        String prop = System.getProperty("stockade.repo.dir");
        if (prop != null && Files.isDirectory(Path.of(prop, "k8s"))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("k8s/pom.xml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.normalize();
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the repository root (a directory holding k8s/pom.xml)");
    }

    static Path k8s() {
        return root().resolve("k8s");
    }

    /** A path relative to the repository root, with forward slashes, for messages. */
    static String rel(Path p) {
        return root().relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
