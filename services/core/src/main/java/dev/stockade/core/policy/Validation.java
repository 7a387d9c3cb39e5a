package dev.stockade.core.policy;

import dev.stockade.core.model.ObjectRef;
import dev.stockade.core.model.Rejection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of validating one object: a definition when it is valid, otherwise the reasons
 * (at least one) it is rejected. A valid object may still carry no definition (a namespace that
 * does not isolate).
 */
public record Validation(Optional<PolicyDefinition> definition, List<Rejection> rejections) {

    public Validation {
        rejections = List.copyOf(rejections);
    }

    public boolean valid() {
        return rejections.isEmpty();
    }

    /** Collects rejections for one object while it is being validated. */
    static final class Problems implements FieldProblems {
        private final ObjectRef object;
        private final List<Rejection> found = new ArrayList<>();

        Problems(ObjectRef object) {
            this.object = object;
        }

        @Override
        public void reject(String field, String reason) {
            found.add(new Rejection(object, field, reason));
        }

        boolean any() {
            return !found.isEmpty();
        }

        Validation result(PolicyDefinition definition) {
            return found.isEmpty() ? new Validation(Optional.ofNullable(definition), List.of())
                    : new Validation(Optional.empty(), found);
        }
    }
}
