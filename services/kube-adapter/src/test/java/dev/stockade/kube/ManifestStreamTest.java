package dev.stockade.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.model.PodInfo;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifest files of any size are read as a stream: a {@code List} over SnakeYAML's old 3 MiB
 * document limit in JSON and in YAML, with {@code kind} after {@code items} as kubectl writes it;
 * a file that cannot be parsed names the item and the field. (The 130 MB list of 100,000 pods is
 * timed in BENCHMARKS.md, P1c, not here: tests stay fast.)
 */
class ManifestStreamTest {

    private static final int PODS = 12_000;

    @TempDir
    Path dir;

    private static String pod(int i) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p" + i + "\",\"namespace\":\"ns\","
                + "\"labels\":{\"app\":\"web\",\"padding\":\"" + "x".repeat(200) + "\"}},\"spec\":{\"nodeName\":\"n"
                + (i % 10) + "\",\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]},\"status\":{\"podIP\":\"10.0."
                + (i >> 8) + "." + (i & 255) + "\"}}";
    }

    private Path podList(String name, String kind) throws IOException {
        Path file = dir.resolve(name);
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("{\"apiVersion\":\"v1\",\"items\":[\n");
            for (int i = 0; i < PODS; i++) {
                out.write(pod(i));
                out.write(i + 1 < PODS ? ",\n" : "\n");
            }
            out.write("],\"kind\":\"" + kind + "\",\"metadata\":{\"resourceVersion\":\"\"}}\n");
        }
        assertTrue(Files.size(file) > 3 << 20, "over the old 3 MiB limit: " + Files.size(file));
        return file;
    }

    @Test
    void aJsonPodListOverThreeMebibytesWithKindAfterItemsIsReadItemByItem() throws IOException {
        List<ManifestReader.Decoded> read = new ManifestReader().readFile(podList("pods.json", "PodList"));
        assertEquals(PODS, read.size());
        assertTrue(read.stream().allMatch(decoded -> decoded.unreadable().isEmpty()
                && decoded.converted().rejections().isEmpty() && decoded.converted().resource().isPresent()));
        assertEquals(dir.resolve("pods.json") + "#0.items[11999]", read.get(PODS - 1).source());
        PodInfo last = (PodInfo) read.get(PODS - 1).converted().resource().orElseThrow();
        assertEquals("ns/p11999", last.key());
    }

    @Test
    void aYamlDocumentOverThreeMebibytesIsRead() throws IOException {
        // JSON flow style is YAML: the same list, read by the YAML parser
        List<ManifestReader.Decoded> read = new ManifestReader().readFile(podList("pods.yaml", "List"));
        assertEquals(PODS, read.size());
        assertTrue(read.stream().allMatch(decoded -> decoded.converted().resource().isPresent()));
    }

    @Test
    void anObjectWithItemsThatIsNotAListIsOneObjectAsBefore() throws IOException {
        Path file = Files.writeString(dir.resolve("odd.json"), """
                {"apiVersion":"v1","items":[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}],
                 "kind":"Namespace","metadata":{"name":"b"}}""");
        List<ManifestReader.Decoded> read = new ManifestReader().readFile(file);
        assertEquals(1, read.size(), read.toString());
        assertEquals(file + "#0", read.get(0).source());
        assertTrue(read.get(0).converted().rejections().stream().anyMatch(r -> r.toString().contains("items")), read.toString());
    }

    @Test
    void aBrokenItemMakesTheFileUnreadableNamingTheItemTheFieldAndTheLine() throws IOException {
        Path file = Files.writeString(dir.resolve("broken.json"), """
                {"apiVersion":"v1","kind":"List","items":[
                 {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}},
                 {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"b","labels":{"x":"1","x":"2"}}}
                ]}""");
        List<ManifestReader.Decoded> read = new ManifestReader().readFile(file);
        assertEquals(1, read.size(), "a half-read file is not used: " + read);
        String why = read.get(0).unreadable().orElseThrow();
        assertTrue(why.startsWith(file + "#0.items[1]: metadata.labels"), why);
        assertTrue(why.contains("Duplicate field 'x'") && why.contains("line 3"), why);
    }
}
