package dev.stockade.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.ConfigMapArgs;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Kustomization;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Patch;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.SecretArgs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads manifests from files and follows kustomizations, without a kustomize binary: which files
 * a kustomization (recursively) takes as resources, as patches, and as generator inputs.
 */
final class Manifests {
    private Manifests() {
    }

    /** One document of one file; a {@code v1/List} contributes one Doc per item. */
    record Doc(Path file, String where, JsonNode tree) {
        String key() {
            return Kinds.key(tree);
        }
    }

    /** A document bound to its model class; {@code model} is null for the 2016 legacy policy. */
    record Parsed(Doc doc, Object model) {
        <T> T as(Class<T> type) {
            return type.cast(model);
        }
    }

    /** Every YAML/JSON manifest file under k8s/ (Maven's src/ and target/ excluded; the dashboard JSON is data). */
    static List<Path> allManifestFiles() {
        Path k8s = Repo.k8s();
        try (Stream<Path> s = Files.walk(k8s)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !k8s.relativize(p).startsWith("src") && !k8s.relativize(p).startsWith("target"))
                    .filter(p -> !k8s.relativize(p).startsWith("monitoring/dashboards"))
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")
                            || p.toString().endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Doc> docs(Path file) {
        List<Doc> out = new ArrayList<>();
        List<JsonNode> trees = StrictYaml.documents(file);
        for (int i = 0; i < trees.size(); i++) {
            JsonNode tree = trees.get(i);
            String where = Repo.rel(file) + (trees.size() > 1 ? " (document " + (i + 1) + ")" : "");
            if ("v1/List".equals(Kinds.key(tree))) {
                JsonNode items = tree.path("items");
                for (int j = 0; j < items.size(); j++) {
                    out.add(new Doc(file, where + " items[" + j + "]", items.get(j)));
                }
            } else {
                out.add(new Doc(file, where, tree));
            }
        }
        return out;
    }

    static List<Doc> docs(String yaml, String where) {
        List<Doc> out = new ArrayList<>();
        List<JsonNode> trees = StrictYaml.documents(yaml);
        for (int i = 0; i < trees.size(); i++) {
            out.add(new Doc(null, where + " (document " + (i + 1) + ")", trees.get(i)));
        }
        return out;
    }

    /** Binds a document strictly; an unknown kind or field throws, naming the document. */
    static Parsed parse(Doc doc) {
        String key = doc.key();
        if (Kinds.LEGACY_POLICY.equals(key)) {
            return new Parsed(doc, null);
        }
        Class<?> type = Kinds.MODELS.get(key);
        if (type == null) {
            throw new IllegalArgumentException(doc.where() + ": unknown apiVersion/kind " + key
                    + " (add it with its model class to Kinds.MODELS)");
        }
        try {
            return new Parsed(doc, StrictYaml.bind(doc.tree(), type));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(doc.where() + ": " + key + ": " + e.getMessage(), e);
        }
    }

    static List<Parsed> parseAll(List<Doc> docs) {
        return docs.stream().map(Manifests::parse).toList();
    }

    static Kustomization kustomization(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        List<JsonNode> trees = StrictYaml.documents(file);
        return StrictYaml.bind(trees.get(0), Kustomization.class);
    }

    /** What a kustomization directory reads, transitively. */
    record Inputs(Set<Path> resources, Set<Path> patches, Set<Path> generated, Set<Path> kustomizations) {
    }

    static Inputs inputs(Path dir) {
        Inputs in = new Inputs(new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashSet<>(),
                new LinkedHashSet<>());
        collect(dir.toAbsolutePath().normalize(), in);
        return in;
    }

    private static void collect(Path dir, Inputs in) {
        if (!in.kustomizations().add(dir.resolve("kustomization.yaml"))) {
            return;
        }
        Kustomization k = kustomization(dir);
        for (String r : nullSafe(k.getResources())) {
            Path p = dir.resolve(r).normalize();
            if (Files.isDirectory(p)) {
                collect(p, in);
            } else {
                in.resources().add(p);
            }
        }
        for (Patch patch : nullSafe(k.getPatches())) {
            if (patch.getPath() != null) {
                in.patches().add(dir.resolve(patch.getPath()).normalize());
            }
        }
        for (ConfigMapArgs g : nullSafe(k.getConfigMapGenerator())) {
            nullSafe(g.getFiles()).forEach(f -> in.generated().add(dir.resolve(fileOf(f)).normalize()));
        }
        for (SecretArgs g : nullSafe(k.getSecretGenerator())) {
            nullSafe(g.getFiles()).forEach(f -> in.generated().add(dir.resolve(fileOf(f)).normalize()));
        }
    }

    /** A generator entry is "path" or "key=path". */
    private static String fileOf(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(eq + 1);
    }

    /** The objects of a kustomization's resource files as written (no patches, names unsuffixed). */
    static List<Parsed> rawResources(Path... dirs) {
        List<Parsed> out = new ArrayList<>();
        for (Path dir : dirs) {
            for (Path file : inputs(dir).resources()) {
                out.addAll(parseAll(docs(file)));
            }
        }
        return out;
    }

    static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }

    static String name(Object model) {
        return ((HasMetadata) model).getMetadata().getName();
    }
}
