package dev.stockade.events.fuzz;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Bad versions of valid JSON records (the seeds): mutated bytes, truncations, a value of the wrong
 * JSON type or an odd value of the right one at any field, a missing field, huge strings and
 * numbers, deep nesting (up to 10,000 nested arrays or objects), unknown schema versions, invalid
 * UTF-8, and plain garbage; now and then a seed unchanged. Every decoder's fuzz property draws from
 * here, so they all meet the same kinds of bad input. Generation uses jqwik's random source, so a
 * failing input is reproduced by its seed.
 */
public final class BadInputs {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Stands for raw bytes spliced in after serializing (deep nesting, huge numbers, invalid UTF-8). */
    private static final String MARK = "@@stockade-fuzz-raw@@";
    private static final byte[] QUOTED_MARK = ('"' + MARK + '"').getBytes(StandardCharsets.UTF_8);

    private static final int[] DEPTHS = {99, 100, 101, 1_000, 10_000};
    private static final int[] HUGE_STRINGS = {70_000, 1_100_000, 3_000_000};
    private static final String[] HUGE_NUMBERS = {"12345678901234567890", "-9223372036854775809", "4294967297",
        "1" + "0".repeat(400), "9".repeat(1_001), "9".repeat(5_000), "1e400", "-1e400", "1e-400", "1.7976931348623157e309",
        "0." + "0".repeat(2_000) + "1", "-0", "NaN", "Infinity", "0x10", "01"};
    private static final byte[][] INVALID_UTF8 = {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xC3, 0x28},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xFE, (byte) 0xFF}, {0}};
    private static final byte[] INTERESTING = "{}[]\":,\\0-e.ntfu \n".getBytes(StandardCharsets.UTF_8);

    /** How each kind of bad input is made, and its share of the inputs (percent). */
    private record Strategy(int weight, BiFunction<Seed, Random, BadInput> make) {
    }

    private static final List<Strategy> STRATEGIES = List.of(
            new Strategy(2, (seed, random) -> BadInput.of("valid", seed.bytes())),
            new Strategy(20, BadInputs::mutatedBytes),
            new Strategy(10, BadInputs::truncated),
            new Strategy(22, BadInputs::wrongType),
            new Strategy(8, BadInputs::oddValue),
            new Strategy(6, BadInputs::missingField),
            new Strategy(3, BadInputs::hugeString),
            new Strategy(4, BadInputs::hugeNumber),
            new Strategy(5, BadInputs::deepNesting),
            new Strategy(8, BadInputs::schemaVersion),
            new Strategy(8, BadInputs::invalidUtf8),
            new Strategy(4, BadInputs::garbage));

    /** A valid record, its tree and every place in it. */
    private record Seed(byte[] bytes, JsonNode tree, List<Slot> slots) {
    }

    /**
     * A field or list element: its path ({@code spec.ports[0].port}), its name (the field's, or for a
     * list element the list's) and where it is in the tree.
     */
    private record Slot(String path, String name, JsonPointer pointer, JsonNode value) {
    }

    private BadInputs() {
    }

    /** Bad inputs made from the seeds (each a valid JSON object). */
    public static Arbitrary<BadInput> from(List<byte[]> seeds) {
        List<Seed> parsed = seeds.stream().map(BadInputs::seed).toList();
        return Arbitraries.randomValue(random -> make(parsed.get(random.nextInt(parsed.size())), random));
    }

    private static BadInput make(Seed seed, Random random) {
        int roll = random.nextInt(STRATEGIES.stream().mapToInt(Strategy::weight).sum());
        for (Strategy strategy : STRATEGIES) {
            roll -= strategy.weight();
            if (roll < 0) {
                return strategy.make().apply(seed, random);
            }
        }
        throw new IllegalStateException("weights");
    }

    private static Seed seed(byte[] bytes) {
        try {
            JsonNode tree = JSON.readTree(bytes);
            List<Slot> slots = new ArrayList<>();
            collect(tree, "", "", JsonPointer.empty(), slots);
            return new Seed(bytes, tree, slots);
        } catch (IOException e) {
            throw new UncheckedIOException("a seed must be JSON", e);
        }
    }

    private static void collect(JsonNode node, String path, String name, JsonPointer pointer, List<Slot> slots) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                JsonPointer to = pointer.appendProperty(field.getKey());
                slots.add(new Slot(at, field.getKey(), to, field.getValue()));
                collect(field.getValue(), at, field.getKey(), to, slots);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String at = path + "[" + i + "]";
                JsonPointer to = pointer.appendIndex(i);
                slots.add(new Slot(at, name, to, node.get(i)));
                collect(node.get(i), at, name, to, slots);
            }
        }
    }

    private static BadInput mutatedBytes(Seed seed, Random random) {
        byte[] bytes = seed.bytes().clone();
        int edits = 1 + random.nextInt(8);
        for (int i = 0; i < edits && bytes.length > 0; i++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(5)) {
                case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                case 2 -> bytes = splice(bytes, at, at + 1, new byte[0]);
                case 3 -> bytes = splice(bytes, at, at, new byte[] {(byte) random.nextInt(256)});
                default -> {
                    int end = Math.min(bytes.length, at + 1 + random.nextInt(40));
                    bytes = splice(bytes, at, at, Arrays.copyOfRange(bytes, at, end));
                }
            }
        }
        return BadInput.of("mutated bytes (" + edits + " edits)", bytes);
    }

    private static BadInput truncated(Seed seed, Random random) {
        byte[] bytes = seed.bytes();
        if (random.nextBoolean()) {
            return BadInput.of("truncated", Arrays.copyOf(bytes, random.nextInt(bytes.length)));
        }
        int from = random.nextInt(bytes.length);
        int to = from + random.nextInt(bytes.length - from) + 1;
        return BadInput.of("a range cut out", splice(bytes, from, to, new byte[0]));
    }

    private static BadInput wrongType(Seed seed, Random random) {
        Slot slot = pick(seed.slots(), random);
        List<JsonNode> others = wrongTypes().stream()
                .filter(value -> value.getNodeType() != slot.value().getNodeType()).toList();
        JsonNode value = others.get(random.nextInt(others.size()));
        return BadInput.at("wrong type " + value.getNodeType().toString().toLowerCase() + " " + value, slot.path(),
                slot.name(), write(replace(seed.tree(), slot, value)));
    }

    private static List<JsonNode> wrongTypes() {
        ObjectNode object = NODES.objectNode().put("x", "y");
        ArrayNode nested = NODES.arrayNode().add(NODES.arrayNode());
        return List.of(NODES.nullNode(), NODES.booleanNode(true), NODES.booleanNode(false), NODES.numberNode(0),
                NODES.numberNode(-1), NODES.numberNode(1.5), NODES.numberNode(2147483648L), NODES.textNode(""),
                NODES.textNode("x"), NODES.textNode("1"), NODES.textNode("true"), NODES.arrayNode(),
                NODES.arrayNode().add("x"), NODES.arrayNode().addNull(), nested, NODES.objectNode(), object);
    }

    /** The right JSON type, an odd value: empty, blank, control characters, extremes, empty lists. */
    private static BadInput oddValue(Seed seed, Random random) {
        Slot slot = pick(seed.slots(), random);
        JsonNode current = slot.value();
        List<JsonNode> odd;
        if (current.isTextual()) {
            odd = List.of(NODES.textNode(""), NODES.textNode(" "), NODES.textNode("\u0000"), NODES.textNode("\uD800"),
                    NODES.textNode("../../etc"), NODES.textNode("a/b/c/d"), NODES.textNode("💥".repeat(100)),
                    NODES.textNode("x".repeat(10_000)), NODES.textNode("10.0.0.0/33"), NODES.textNode("\n;drop"));
        } else if (current.isNumber()) {
            odd = List.of(NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(Integer.MAX_VALUE),
                    NODES.numberNode(Integer.MIN_VALUE), NODES.numberNode(Long.MAX_VALUE), NODES.numberNode(Long.MIN_VALUE),
                    NODES.numberNode(65536), NODES.numberNode(1e300), NODES.numberNode(BigInteger.TWO.pow(64)));
        } else if (current.isArray()) {
            odd = List.of(NODES.arrayNode(), duplicated((ArrayNode) current));
        } else if (current.isObject()) {
            odd = List.of(NODES.objectNode(), ((ObjectNode) current.deepCopy()).put("unknownField", 1));
        } else {
            odd = List.of(NODES.booleanNode(!current.asBoolean()), NODES.nullNode());
        }
        return BadInput.of("odd value at " + slot.path(), write(replace(seed.tree(), slot, odd.get(random.nextInt(odd.size())))));
    }

    private static ArrayNode duplicated(ArrayNode list) {
        ArrayNode twice = list.deepCopy();
        twice.addAll(list.deepCopy());
        return twice;
    }

    private static BadInput missingField(Seed seed, Random random) {
        List<Slot> fields = seed.slots().stream().filter(slot -> !slot.path().endsWith("]")).toList();
        Slot slot = pick(fields, random);
        JsonNode copy = seed.tree().deepCopy();
        ((ObjectNode) copy.at(slot.pointer().head())).remove(slot.name());
        return BadInput.at("missing", slot.path(), slot.name(), write(copy));
    }

    private static BadInput hugeString(Seed seed, Random random) {
        int length = HUGE_STRINGS[random.nextInt(HUGE_STRINGS.length)];
        if (random.nextInt(4) == 0) {
            ObjectNode copy = seed.tree().deepCopy();
            copy.put("k".repeat(60_000), 1);
            return BadInput.of("a 60,000-character field name", write(copy));
        }
        Slot slot = pick(seed.slots(), random);
        String text = random.nextBoolean() ? "x".repeat(length) : "é".repeat(length / 2);
        return BadInput.of("a " + length + "-character string at " + slot.path(),
                write(replace(seed.tree(), slot, NODES.textNode(text))));
    }

    private static BadInput hugeNumber(Seed seed, Random random) {
        List<Slot> numbers = seed.slots().stream().filter(slot -> slot.value().isNumber()).toList();
        Slot slot = pick(numbers.isEmpty() || random.nextInt(3) == 0 ? seed.slots() : numbers, random);
        String number = HUGE_NUMBERS[random.nextInt(HUGE_NUMBERS.length)];
        return BadInput.of("number " + abbreviate(number) + " at " + slot.path(),
                withRaw(seed.tree(), slot, number.getBytes(StandardCharsets.US_ASCII)));
    }

    private static BadInput deepNesting(Seed seed, Random random) {
        int depth = DEPTHS[random.nextInt(DEPTHS.length)];
        boolean objects = random.nextBoolean();
        String nested = objects ? "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) : "[".repeat(depth) + "]".repeat(depth);
        String how = depth + " nested " + (objects ? "objects" : "arrays");
        return switch (random.nextInt(4)) {
            case 0 -> BadInput.of(how + " as the record", nested.getBytes(StandardCharsets.US_ASCII));
            case 1 -> BadInput.of(how + ", unclosed", (objects ? "{\"a\":" : "[").repeat(depth).getBytes(StandardCharsets.US_ASCII));
            default -> {
                Slot slot = pick(seed.slots(), random);
                yield BadInput.of(how + " at " + slot.path(),
                        withRaw(seed.tree(), slot, nested.getBytes(StandardCharsets.US_ASCII)));
            }
        };
    }

    private static BadInput schemaVersion(Seed seed, Random random) {
        List<Slot> versions = seed.slots().stream().filter(slot -> slot.name().equals("schemaVersion")).toList();
        if (versions.isEmpty()) {
            return mutatedBytes(seed, random);
        }
        Slot slot = pick(versions, random);
        List<JsonNode> values = List.of(NODES.numberNode(0), NODES.numberNode(2), NODES.numberNode(-1),
                NODES.numberNode(99), NODES.numberNode(2147483648L), NODES.numberNode(4294967297L), NODES.textNode("1"),
                NODES.textNode("v1"), NODES.numberNode(1.0), NODES.numberNode(1.5), NODES.nullNode(),
                NODES.arrayNode().add(1), NODES.objectNode(), NODES.booleanNode(true));
        if (random.nextInt(values.size() + 1) == 0) {
            JsonNode copy = seed.tree().deepCopy();
            ((ObjectNode) copy.at(slot.pointer().head())).remove("schemaVersion");
            return BadInput.of("no schemaVersion at " + slot.path(), write(copy));
        }
        JsonNode value = values.get(random.nextInt(values.size()));
        return BadInput.of("schemaVersion " + value + " at " + slot.path(), write(replace(seed.tree(), slot, value)));
    }

    private static BadInput invalidUtf8(Seed seed, Random random) {
        byte[] invalid = INVALID_UTF8[random.nextInt(INVALID_UTF8.length)];
        List<Slot> strings = seed.slots().stream().filter(slot -> slot.value().isTextual()).toList();
        if (strings.isEmpty() || random.nextInt(3) == 0) {
            int at = random.nextInt(seed.bytes().length + 1);
            return BadInput.of("invalid UTF-8 " + hex(invalid) + " at byte " + at, splice(seed.bytes(), at, at, invalid));
        }
        Slot slot = pick(strings, random);
        byte[] text = slot.value().textValue().getBytes(StandardCharsets.UTF_8);
        int at = random.nextInt(text.length + 1);
        byte[] quoted = concat(new byte[] {'"'}, splice(text, at, at, invalid), new byte[] {'"'});
        return BadInput.of("invalid UTF-8 " + hex(invalid) + " in " + slot.path(), withRaw(seed.tree(), slot, quoted));
    }

    private static BadInput garbage(Seed seed, Random random) {
        byte[] bytes = seed.bytes();
        List<byte[]> garbage = List.of(new byte[0], " ".getBytes(StandardCharsets.US_ASCII), ascii("null"), ascii("[]"),
                ascii("{}"), ascii("\"x\""), ascii("0"), ascii("true"), ascii("{\"schemaVersion\":1}"),
                ascii("{\"schemaVersion\":1,\"schemaVersion\":1}"), concat(bytes, bytes),
                concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes), concat(bytes, ascii("garbage")),
                concat(ascii("{"), bytes), concat(ascii("["), bytes, ascii("]")));
        if (random.nextInt(garbage.size() + 1) == 0) {
            byte[] noise = new byte[random.nextInt(100)];
            random.nextBytes(noise);
            return BadInput.of("random bytes", noise);
        }
        int which = random.nextInt(garbage.size());
        return BadInput.of("garbage #" + which, garbage.get(which));
    }

    private static Slot pick(List<Slot> slots, Random random) {
        return slots.get(random.nextInt(slots.size()));
    }

    private static JsonNode replace(JsonNode tree, Slot slot, JsonNode value) {
        JsonNode copy = tree.deepCopy();
        JsonNode parent = copy.at(slot.pointer().head());
        if (parent instanceof ObjectNode object) {
            object.set(slot.name(), value);
        } else {
            ((ArrayNode) parent).set(slot.pointer().last().getMatchingIndex(), value);
        }
        return copy;
    }

    /** The tree with {@code raw} (bytes that need not be JSON) as the value at the slot. */
    private static byte[] withRaw(JsonNode tree, Slot slot, byte[] raw) {
        byte[] marked = write(replace(tree, slot, NODES.textNode(MARK)));
        for (int i = 0; i + QUOTED_MARK.length <= marked.length; i++) {
            if (Arrays.equals(marked, i, i + QUOTED_MARK.length, QUOTED_MARK, 0, QUOTED_MARK.length)) {
                return splice(marked, i, i + QUOTED_MARK.length, raw);
            }
        }
        throw new IllegalStateException("mark not written");
    }

    private static byte[] write(JsonNode tree) {
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] splice(byte[] bytes, int from, int to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + insert.length);
        out.write(bytes, 0, from);
        out.write(insert, 0, insert.length);
        out.write(bytes, to, bytes.length - to);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02X", b & 0xFF));
        }
        return text.toString();
    }

    private static String abbreviate(String text) {
        return text.length() > 30 ? text.substring(0, 12) + "...(" + text.length() + " chars)" : text;
    }
}
