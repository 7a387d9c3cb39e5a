package dev.stockade.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tilt cannot run here, so the Tiltfile is made correct by construction and checked: it and the
 * files it loads parse as Python syntax (Starlark is a subset), call only Tilt built-ins or their
 * own functions with keyword arguments those built-ins have, and every path they write exists.
 */
class TiltfileTest {

    /** Prints, as JSON, what the Python AST says about each file: string literals, calls, definitions, loads. */
    static final String INSPECT = """
            import ast, json, sys
            out = []
            for name in sys.argv[1:]:
                tree = ast.parse(open(name).read(), name)
                calls, strings, defs, loads = [], [], [], []
                for node in ast.walk(tree):
                    if isinstance(node, ast.Constant) and isinstance(node.value, str):
                        strings.append(node.value)
                    elif isinstance(node, ast.FunctionDef):
                        defs.append(node.name)
                    elif isinstance(node, ast.Call):
                        f = node.func
                        if isinstance(f, ast.Name):
                            fname = f.id
                        elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
                            fname = f.value.id + "." + f.attr
                        elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Attribute) and isinstance(f.value.value, ast.Name):
                            fname = f.value.value.id + "." + f.value.attr + "." + f.attr
                        else:
                            fname = None
                        if fname == "load":
                            loads.append([a.value for a in node.args])
                        calls.append({"name": fname, "line": node.lineno, "kwargs": [k.arg for k in node.keywords]})
                out.append({"file": name, "strings": strings, "calls": calls, "defs": defs, "loads": loads})
            print(json.dumps(out))
            """;

    /** Tilt built-ins we use, each with the keyword arguments it takes (from Tilt's API reference). */
    static final Map<String, Set<String>> TILT_BUILTINS = Map.ofEntries(
            Map.entry("load", Set.of()),
            Map.entry("allow_k8s_contexts", Set.of("contexts")),
            Map.entry("update_settings", Set.of("max_parallel_updates", "k8s_upsert_timeout_secs",
                    "suppress_unused_image_warnings", "k8s_server_side_apply")),
            Map.entry("k8s_context", Set.of()),
            Map.entry("local_resource", Set.of("name", "cmd", "deps", "trigger_mode", "resource_deps", "ignore",
                    "auto_init", "serve_cmd", "cmd_bat", "serve_cmd_bat", "allow_parallel", "links", "labels", "env",
                    "serve_env", "readiness_probe", "dir", "serve_dir")),
            Map.entry("kustomize", Set.of("pathToDir", "kustomize_bin", "flags")),
            Map.entry("decode_yaml_stream", Set.of("yaml")),
            Map.entry("encode_yaml_stream", Set.of("objs")),
            Map.entry("k8s_yaml", Set.of("yaml", "allow_duplicates")),
            Map.entry("k8s_resource", Set.of("workload", "new_name", "port_forwards", "extra_pod_selectors",
                    "trigger_mode", "resource_deps", "objects", "auto_init", "pod_readiness", "links", "labels",
                    "discovery_strategy")),
            Map.entry("port_forward", Set.of("local_port", "container_port", "name", "link_path", "host")),
            Map.entry("custom_build", Set.of("ref", "command", "deps", "tag", "disable_push", "skips_local_docker",
                    "live_update", "match_in_env_vars", "ignore", "entrypoint", "command_bat_val",
                    "outputs_image_ref_to", "command_bat", "image_deps", "env", "dir")),
            Map.entry("warn", Set.of("msg")),
            Map.entry("fail", Set.of("msg")),
            Map.entry("os.getenv", Set.of()),
            Map.entry("os.path.exists", Set.of()));

    /** Starlark's own built-ins and the string/dict/list methods we call. */
    static final Set<String> LANGUAGE = Set.of("len", "str", "int", "print", "range", "sorted", "list", "dict",
            "enumerate", "type", "any", "all", "zip");

    /** A string is a path reference when it names something in the repository. */
    static final Pattern PATH = Pattern.compile("^(\\./)?(k8s|tilt|services|events-schema|Tiltfile|mvnw|pom\\.xml)(/[A-Za-z0-9._-]+)*/?$");

    private static JsonNode files;

    @BeforeAll
    static void inspect() throws IOException, InterruptedException {
        Assumptions.assumeTrue(KustomizeRenderTest.onPath("python3"), "python3 is not on PATH: Tiltfile not checked");
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", INSPECT, "Tiltfile"));
        cmd.addAll(loadedFiles());
        Process p = new ProcessBuilder(cmd).directory(Repo.root().toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "a Tilt file does not parse as Python syntax:\n" + err);
        files = new ObjectMapper().readTree(out);
    }

    /** The files the Tiltfile loads, found by a plain scan so a parse failure is still reported against them. */
    private static List<String> loadedFiles() throws IOException {
        var m = Pattern.compile("load\\(\\s*'\\./([^']+)'").matcher(Files.readString(Repo.root().resolve("Tiltfile")));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void theTiltfileLoadsOnlyLocalFilesThatExist() {
        int loads = 0;
        for (JsonNode f : files) {
            for (JsonNode load : f.path("loads")) {
                loads++;
                String path = load.get(0).asText();
                assertTrue(path.startsWith("./"), "load of " + path + ": extensions (ext://) need the network");
                assertTrue(Files.isRegularFile(Repo.root().resolve(path)), "load of a missing file " + path);
            }
        }
        assertTrue(loads > 0);
    }

    @Test
    void everyPathTheTiltFilesWriteExists() {
        List<String> missing = new ArrayList<>();
        Set<String> checked = new TreeSet<>();
        for (JsonNode f : files) {
            for (JsonNode s : f.path("strings")) {
                String text = s.asText();
                if (PATH.matcher(text).matches()) {
                    checked.add(text);
                    if (!Files.exists(Repo.root().resolve(text))) {
                        missing.add(f.path("file").asText() + ": " + text);
                    }
                }
            }
        }
        assertTrue(checked.contains("k8s/overlays/dev"), "the dev overlay path was not found among " + checked);
        assertEquals(List.of(), missing);
    }

    @Test
    void everyCallIsATiltBuiltinOrADefinedFunctionWithKnownKeywords() {
        Set<String> defined = new TreeSet<>();
        for (JsonNode f : files) {
            f.path("defs").forEach(d -> defined.add(d.asText()));
        }
        List<String> problems = new ArrayList<>();
        for (JsonNode f : files) {
            for (JsonNode call : f.path("calls")) {
                String name = call.path("name").isNull() ? null : call.path("name").asText();
                if (name == null || LANGUAGE.contains(name) || defined.contains(name) || isMethodCall(name)) {
                    continue;
                }
                Set<String> kwargs = TILT_BUILTINS.get(name);
                String where = f.path("file").asText() + ":" + call.path("line").asInt() + " " + name;
                if (kwargs == null) {
                    problems.add(where + " is neither a Tilt built-in we know nor a function defined here");
                    continue;
                }
                call.path("kwargs").forEach(k -> {
                    if (!kwargs.contains(k.asText())) {
                        problems.add(where + " has no keyword argument " + k.asText());
                    }
                });
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theImageBuildsUseMavenWithQuarkusContainerImageFlags() throws IOException {
        String helpers = Files.readString(Repo.root().resolve("tilt/stockade.tiltfile"));
        assertTrue(helpers.contains("./mvnw -q -pl %s -am package"));
        assertTrue(helpers.contains("-Dquarkus.container-image.build=true"));
        assertTrue(helpers.contains("-Dquarkus.container-image.image=$EXPECTED_REF"));
        assertTrue(Files.isExecutable(Repo.root().resolve("mvnw")));
    }

    @Test
    void theClusterConfigsLabelEveryNodeWithAPoolThatHasAnOverlay() throws IOException {
        Set<String> pools = new TreeSet<>();
        try (var s = Files.list(Repo.k8s().resolve("pools"))) {
            s.forEach(p -> pools.add(p.getFileName().toString()));
        }
        JsonNode kind = StrictYaml.documents(Repo.root().resolve("tilt/kind-cluster.yaml")).get(0);
        Set<String> kindPools = new TreeSet<>();
        for (JsonNode node : kind.path("nodes")) {
            String pool = node.path("labels").path(AddressReferences.POOL_LABEL).asText(null);
            assertTrue(pool != null && pools.contains(pool), "kind node without a known pool: " + node);
            kindPools.add(pool);
        }
        assertEquals(pools, kindPools);
        JsonNode k3d = StrictYaml.documents(Repo.root().resolve("tilt/k3d-cluster.yaml")).get(0);
        Set<String> filters = new TreeSet<>();
        Set<String> k3dPools = new TreeSet<>();
        for (JsonNode label : k3d.path("options").path("k3s").path("nodeLabels")) {
            String[] kv = label.path("label").asText().split("=");
            assertEquals(AddressReferences.POOL_LABEL, kv[0]);
            k3dPools.add(kv[1]);
            label.path("nodeFilters").forEach(n -> filters.add(n.asText()));
        }
        assertEquals(pools, k3dPools);
        int nodes = k3d.path("servers").asInt() + k3d.path("agents").asInt();
        assertEquals(nodes, filters.size(), "every k3d node carries exactly one pool label: " + filters);
    }

    private static boolean isMethodCall(String name) {
        return name.contains(".") && !name.startsWith("os.");
    }
}
