package dev.stockade.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The agent never gets Kafka credentials: no agent DaemonSet (base or pool patch) under
 * {@code k8s/} mentions Kafka or reads any Secret but the dispatchers' CA ({@code ca.crt} of
 * {@code stockade-dispatcher-tls}; its token is a projected ServiceAccount token, no Secret), and no class of
 * the agent (nor of its data plane) refers to a Kafka class, nor does its configuration hold a
 * {@code kafka.*} setting. It talks to its dispatcher only.
 */
final class AgentHasNoKafka {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final byte[] KAFKA_PACKAGE = "org/apache/kafka".getBytes(StandardCharsets.US_ASCII);

    private AgentHasNoKafka() {
    }

    static void assertManifests(Path k8s) throws IOException {
        List<JsonNode> daemonSets = new ArrayList<>();
        try (Stream<Path> files = Files.walk(k8s)) {
            for (Path file : files.filter(AgentHasNoKafka::isManifest).toList()) {
                try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file))) {
                    for (JsonNode doc : docs.readAll()) {
                        if (doc != null && "DaemonSet".equals(doc.path("kind").asText())
                                && doc.path("metadata").path("name").asText().startsWith("stockade-agent")) {
                            daemonSets.add(doc);
                        }
                    }
                }
            }
        }
        assertFalse(daemonSets.isEmpty(), "no agent DaemonSet found under " + k8s);
        for (JsonNode daemonSet : daemonSets) {
            String name = daemonSet.path("metadata").path("name").asText();
            assertFalse(daemonSet.toString().toLowerCase(Locale.ROOT).contains("kafka"), name + " mentions Kafka");
            Set<String> secrets = new TreeSet<>();
            daemonSet.findValues("secretKeyRef").forEach(ref -> secrets.add(ref.path("name").asText()));
            daemonSet.findValues("secret").forEach(volume -> secrets.add(volume.path("secretName").asText()));
            daemonSet.findValues("secretRef").forEach(ref -> secrets.add(ref.path("name").asText()));
            assertTrue(Set.of("stockade-dispatcher-tls").containsAll(secrets), name + " reads the Secrets " + secrets);
        }
    }

    /** Every class in the jars (or class directories) of these classes. */
    static void assertCode(Class<?>... fromEachModule) throws Exception {
        for (Class<?> type : fromEachModule) {
            Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> offenders = new ArrayList<>();
            int classes = 0;
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        classes += check(location.relativize(file).toString(), Files.readAllBytes(file), offenders);
                    }
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    for (var entry : jar.stream().filter(e -> !e.isDirectory()).toList()) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            classes += check(entry.getName(), in.readAllBytes(), offenders);
                        }
                    }
                }
            }
            assertTrue(classes > 0, "no classes at " + location);
            assertEquals(List.of(), offenders, location + ": refers to Kafka");
        }
    }

    /** 1 when {@code name} is a class (checked for Kafka references); configuration files are checked for kafka settings. */
    private static int check(String name, byte[] bytes, List<String> offenders) {
        if (name.endsWith(".class")) {
            if (contains(bytes, KAFKA_PACKAGE)) {
                offenders.add(name);
            }
            return 1;
        }
        if (name.endsWith(".properties") || name.endsWith(".yaml") || name.endsWith(".yml")) {
            String text = new String(bytes, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            if (text.lines().map(String::strip).anyMatch(line -> !line.startsWith("#") && line.contains("kafka"))) {
                offenders.add(name);
            }
        }
        return 0;
    }

    private static boolean isManifest(Path file) {
        String name = file.toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.contains("/src/") && !name.contains("/target/");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
