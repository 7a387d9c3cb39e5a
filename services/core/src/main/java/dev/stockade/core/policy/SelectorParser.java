package dev.stockade.core.policy;

import dev.stockade.core.model.LabelSelectorSpec;
import java.util.ArrayList;
import java.util.List;

/** Validates a {@link LabelSelectorSpec} into a {@link Selector}, reporting bad requirements. */
final class SelectorParser {

    private SelectorParser() {
    }

    /** The selector, or null after reporting problems under {@code field}. */
    static Selector parse(LabelSelectorSpec spec, String field, FieldProblems problems) {
        List<Selector.Term> expressions = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < spec.matchExpressions().size(); i++) {
            LabelSelectorSpec.Requirement requirement = spec.matchExpressions().get(i);
            String at = field + ".matchExpressions[" + i + "]";
            Selector.Operator operator = Selector.Operator.parse(requirement.operator());
            if (requirement.key() == null || requirement.key().isEmpty()) {
                problems.reject(at + ".key", "a label selector requirement needs a key");
                ok = false;
            } else if (operator == null) {
                problems.reject(at + ".operator", "unknown operator '" + requirement.operator()
                        + "' (expected In, NotIn, Exists or DoesNotExist)");
                ok = false;
            } else if ((operator == Selector.Operator.IN || operator == Selector.Operator.NOT_IN)
                    && requirement.values().isEmpty()) {
                problems.reject(at + ".values", "operator " + operator.text + " needs at least one value");
                ok = false;
            } else if ((operator == Selector.Operator.EXISTS || operator == Selector.Operator.DOES_NOT_EXIST)
                    && !requirement.values().isEmpty()) {
                problems.reject(at + ".values", "operator " + operator.text + " takes no values");
                ok = false;
            } else {
                expressions.add(new Selector.Term(requirement.key(), operator, requirement.values()));
            }
        }
        return ok ? Selector.fromValidated(spec.matchLabels(), expressions) : null;
    }
}
