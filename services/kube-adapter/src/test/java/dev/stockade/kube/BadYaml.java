package dev.stockade.kube;

import dev.stockade.events.fuzz.BadInput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Bad manifest files that only YAML can be (the JSON ones come from {@code BadInputs}): alias bombs,
 * deep flow and block nesting, tabs, tags, merge keys, duplicate keys, many documents, huge scalars,
 * UTF-16, and the YAML seed mutated byte by byte, truncated, or with invalid UTF-8 in it.
 */
final class BadYaml {

    private static final List<String> CRAFTED = List.of(
            billionLaughs(),
            "a: " + "[".repeat(10_000) + "]".repeat(10_000),
            "a: " + "{b: ".repeat(10_000) + "1" + "}".repeat(10_000),
            blockNesting(1_000),
            "apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: tabbed\n",
            "apiVersion: v1\nkind: Namespace\nmetadata: !!python/object:os.system {name: x}\n",
            "apiVersion: !java.lang.Runtime v1\nkind: Namespace\nmetadata: {name: x}\n",
            "base: &base {apiVersion: v1, kind: Namespace}\n---\n<<: *base\nmetadata: {name: merged}\n",
            "apiVersion: v1\nkind: Namespace\nkind: Pod\nmetadata: {name: twice}\n",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: *undefined}\n",
            "---\n".repeat(5_000),
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: '" + "x".repeat(4_000_000) + "'}\n",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + "9".repeat(5_000) + "}\n",
            "? [complex, key]\n: value\n",
            "%YAML 9.9\n---\na: 1\n",
            "apiVersion: v1\nkind: List\nitems: *nothing\n",
            "apiVersion: v1\nkind: List\nitems: [1, null, [], {}, 'x']\n",
            "");

    private BadYaml() {
    }

    static Arbitrary<BadInput> from(byte[] seed) {
        return Arbitraries.randomValue(random -> make(seed, random));
    }

    private static BadInput make(byte[] seed, Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> {
                int which = random.nextInt(CRAFTED.size());
                yield BadInput.of("crafted YAML #" + which, CRAFTED.get(which).getBytes(StandardCharsets.UTF_8));
            }
            case 1 -> BadInput.of("truncated YAML", java.util.Arrays.copyOf(seed, random.nextInt(seed.length)));
            case 2 -> {
                int at = random.nextInt(seed.length);
                byte[] invalid = {(byte) 0xFF, (byte) 0xC3, 0x28, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
                yield BadInput.of("invalid UTF-8 at byte " + at, splice(seed, at, invalid));
            }
            case 3 -> BadInput.of("UTF-16", new String(seed, StandardCharsets.UTF_8).getBytes(random.nextBoolean()
                    ? StandardCharsets.UTF_16 : StandardCharsets.UTF_16LE));
            default -> mutated(seed, random);
        };
    }

    private static BadInput mutated(byte[] seed, Random random) {
        byte[] bytes = seed.clone();
        byte[] yamlish = ":-[]{}'\"&*!|>%@`#,?\t\n ".getBytes(StandardCharsets.US_ASCII);
        int edits = 1 + random.nextInt(8);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(bytes.length);
            bytes[at] = random.nextBoolean() ? yamlish[random.nextInt(yamlish.length)] : (byte) random.nextInt(256);
        }
        return BadInput.of("YAML with " + edits + " bytes changed", bytes);
    }

    private static String billionLaughs() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i < 10; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                yaml.append(j == 0 ? "" : ",").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        return yaml.toString();
    }

    private static String blockNesting(int depth) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            yaml.append(" ".repeat(i)).append("a:\n");
        }
        return yaml.append(" ".repeat(depth)).append("b: 1\n").toString();
    }

    private static byte[] splice(byte[] bytes, int at, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.write(insert, 0, insert.length);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }
}
