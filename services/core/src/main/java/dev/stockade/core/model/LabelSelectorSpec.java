package dev.stockade.core.model;

import java.util.List;
import java.util.Map;

/**
 * A Kubernetes {@code LabelSelector} as written: {@code matchLabels} and
 * {@code matchExpressions}, both ANDed. Null lists and maps mean "no constraint", so an empty
 * selector matches everything. Operators are kept as text so the core can reject unknown ones.
 */
public record LabelSelectorSpec(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    /** The empty selector: matches every object. */
    public static final LabelSelectorSpec ALL = new LabelSelectorSpec(null, null);

    public LabelSelectorSpec {
        matchLabels = Labels.copyOf(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    /** A selector from a plain label map (the 2016 API's form): all labels must match. */
    public static LabelSelectorSpec ofLabels(Map<String, String> labels) {
        return new LabelSelectorSpec(labels, null);
    }

    /** One {@code matchExpressions} entry: {@code key}, operator text, values (null means none). */
    public record Requirement(String key, String operator, List<String> values) {
        public Requirement {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }
}
