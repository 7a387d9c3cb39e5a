package dev.stockade.cli;

import dev.stockade.core.verdict.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of the matrix a user asks for: pods of some namespaces ({@code --namespace}), sources
 * ({@code --from}) and destinations ({@code --to}) as {@code NS} (every pod of the namespace) or
 * {@code NS/POD}; and a ceiling on the cells computed ({@code --max-cells}), so that a big cluster
 * (100,000 pods are 10^10 pairs) is refused with the options named instead of printed for hours.
 * Empty lists mean no restriction. A pattern that matches no pod with an address is a bad argument:
 * a typo must not print an empty matrix that looks like an answer.
 */
record MatrixSelection(List<String> namespaces, List<String> from, List<String> to, long maxCells) {

    /** The default ceiling: a 1,000-pod cluster with one probe. */
    static final long DEFAULT_MAX_CELLS = 1_000_000;

    MatrixSelection {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        from = from == null ? List.of() : List.copyOf(from);
        to = to == null ? List.of() : List.copyOf(to);
        if (maxCells < 0) {
            throw new IllegalArgumentException("--max-cells " + maxCells + ": must be 0 (no limit) or more");
        }
    }

    /** The rows and columns asked for, or IllegalArgumentException naming a pattern that matches nothing. */
    record Axes(List<Endpoint> sources, List<Endpoint> destinations) {
    }

    Axes axes(List<Endpoint> endpoints) {
        for (String namespace : namespaces) {
            if (endpoints.stream().noneMatch(endpoint -> namespaceOf(endpoint.pod()).equals(namespace))) {
                throw new IllegalArgumentException("--namespace '" + namespace + "': no pod with an address in it");
            }
        }
        List<Endpoint> inNamespaces = endpoints.stream().filter(endpoint -> inNamespaces(endpoint.pod())).toList();
        return new Axes(pick(inNamespaces, from, "--from"), pick(inNamespaces, to, "--to"));
    }

    /** Whether a pod ({@code ns/name}) is asked for as a source or a destination. */
    boolean mentions(String pod) {
        return inNamespaces(pod) && (from.isEmpty() && to.isEmpty() || matchesAny(pod, from) || matchesAny(pod, to));
    }

    /** Refuses a matrix over the ceiling, naming the options that ask for part of it. */
    void checkSize(Axes axes, int probes) {
        long cells = (long) axes.sources().size() * axes.destinations().size() * probes;
        if (maxCells > 0 && cells > maxCells) {
            throw new IllegalArgumentException(String.format("the matrix would have %,d cells (%,d sources x %,d destinations"
                    + " x %d probe(s)), over --max-cells %,d: ask for part of it with --namespace NS, --from NS[/POD]"
                    + " or --to NS[/POD], or for all of it with --max-cells 0", cells, axes.sources().size(),
                    axes.destinations().size(), probes, maxCells));
        }
    }

    private boolean inNamespaces(String pod) {
        return namespaces.isEmpty() || namespaces.contains(namespaceOf(pod));
    }

    private static List<Endpoint> pick(List<Endpoint> endpoints, List<String> patterns, String option) {
        if (patterns.isEmpty()) {
            return endpoints;
        }
        for (String pattern : patterns) {
            if (endpoints.stream().noneMatch(endpoint -> matches(endpoint.pod(), pattern))) {
                throw new IllegalArgumentException(option + " '" + pattern + "': no pod with an address matches"
                        + " (NS or NS/POD" + ", within --namespace when given)");
            }
        }
        List<Endpoint> picked = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            if (matchesAny(endpoint.pod(), patterns)) {
                picked.add(endpoint);
            }
        }
        return picked;
    }

    private static boolean matchesAny(String pod, List<String> patterns) {
        return patterns.stream().anyMatch(pattern -> matches(pod, pattern));
    }

    /** {@code NS} matches every pod of the namespace, {@code NS/POD} that pod. */
    private static boolean matches(String pod, String pattern) {
        return pattern.contains("/") ? pod.equals(pattern) : namespaceOf(pod).equals(pattern);
    }

    private static String namespaceOf(String pod) {
        int slash = pod.indexOf('/');
        return slash < 0 ? "" : pod.substring(0, slash);
    }
}
