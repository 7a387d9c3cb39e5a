package dev.stockade.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A validated label selector. "A label selector is a label query over a set of resources. The
 * result of matchLabels and matchExpressions are ANDed. An empty label selector matches all
 * objects."
 *
 * <p>{@link #canonical()} is a stable text form: two selectors with the same meaning written in a
 * different order have the same canonical form, which is what groups are keyed by.
 */
public final class Selector {

    /** The empty selector. */
    public static final Selector ALL = new Selector(List.of());

    private final List<Term> terms;
    private final String canonical;

    private Selector(List<Term> terms) {
        this.terms = List.copyOf(terms);
        this.canonical = terms.isEmpty() ? "*" : String.join(",", terms.stream().map(Term::canonical).toList());
    }

    /** Builds a selector from already validated terms; sorted and de-duplicated here. */
    static Selector of(List<Term> terms) {
        TreeSet<Term> sorted = new TreeSet<>(terms);
        return sorted.isEmpty() ? ALL : new Selector(new ArrayList<>(sorted));
    }

    /** A selector requiring every label of the map (the 2016 API's plain label-map selector). */
    public static Selector ofLabels(Map<String, String> labels) {
        List<Term> terms = new ArrayList<>();
        labels.forEach((key, value) -> terms.add(new Term(key, Operator.IN, List.of(value))));
        return of(terms);
    }

    /** True if the labels satisfy every term. */
    public boolean matches(Map<String, String> labels) {
        for (Term term : terms) {
            if (!term.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A label every matching object must carry ({@code key=value} from matchLabels or a one-value
     * In), if the selector has one: lets callers start from a label index instead of every object.
     */
    public java.util.Optional<Map.Entry<String, String>> requiredLabel() {
        for (Term term : terms) {
            if (term.operator() == Operator.IN && term.values().size() == 1) {
                return java.util.Optional.of(Map.entry(term.key(), term.values().get(0)));
            }
        }
        return java.util.Optional.empty();
    }

    /** True for the empty selector. */
    public boolean matchesEverything() {
        return terms.isEmpty();
    }

    /** Stable text form, {@code *} for the empty selector. */
    public String canonical() {
        return canonical;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Selector selector && selector.canonical.equals(canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    @Override
    public String toString() {
        return canonical;
    }

    /** Label selector operators; {@code matchLabels} entries are {@code In} with one value. */
    enum Operator {
        IN("In"), NOT_IN("NotIn"), EXISTS("Exists"), DOES_NOT_EXIST("DoesNotExist");

        final String text;

        Operator(String text) {
            this.text = text;
        }

        static Operator parse(String text) {
            for (Operator operator : values()) {
                if (operator.text.equals(text)) {
                    return operator;
                }
            }
            return null;
        }
    }

    /** One requirement: key, operator, sorted values. */
    record Term(String key, Operator operator, List<String> values) implements Comparable<Term> {

        Term {
            values = List.copyOf(new TreeSet<>(values));
        }

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case IN -> value != null && values.contains(value);
                case NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
            };
        }

        String canonical() {
            return switch (operator) {
                case IN -> values.size() == 1 ? key + "=" + values.get(0) : key + " in (" + String.join(",", values) + ")";
                case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
            };
        }

        @Override
        public int compareTo(Term other) {
            return canonical().compareTo(other.canonical());
        }
    }

    /** Used by the validator: the selector as sorted map view, for error-free construction. */
    static Selector fromValidated(Map<String, String> matchLabels, List<Term> expressions) {
        List<Term> terms = new ArrayList<>(expressions);
        matchLabels.forEach((key, value) -> terms.add(new Term(key, Operator.IN, List.of(value))));
        return of(terms);
    }
}
