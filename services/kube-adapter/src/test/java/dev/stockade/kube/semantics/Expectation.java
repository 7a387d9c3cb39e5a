package dev.stockade.kube.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/**
 * One expected verdict written as {@code "x/a -> y/b 80/TCP allowed"} (or {@code denied}).
 */
record Expectation(String from, String to, String probe, boolean allowed) {

    static Expectation parse(String text) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 5 || !parts[1].equals("->") || !(parts[4].equals("allowed") || parts[4].equals("denied"))) {
            throw new IllegalArgumentException("expectation must read 'ns/a -> ns/b 80/TCP allowed|denied': " + text);
        }
        return new Expectation(parts[0], parts[2], parts[3], parts[4].equals("allowed"));
    }

    static void check(World world, List<String> expectations) {
        for (String text : expectations) {
            Expectation expectation = parse(text);
            assertEquals(expectation.allowed, world.allowed(expectation.from, expectation.to, expectation.probe), text);
        }
    }
}
