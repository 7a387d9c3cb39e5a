package dev.stockade.chaos;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name=value} arguments of the harness's processes. */
record Args(Map<String, String> values) {

    static Args parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("arguments are --name=value, not " + arg);
            }
            values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return new Args(values);
    }

    String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    String get(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    /** Blocks the main thread until the process is killed. */
    static void parkForever() throws InterruptedException {
        new java.util.concurrent.CountDownLatch(1).await();
    }
}
