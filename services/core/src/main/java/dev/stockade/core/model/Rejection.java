package dev.stockade.core.model;

/**
 * Why an object was not accepted: the object, the field path inside it (e.g.
 * {@code spec.ingress[0].from[1].ipBlock.cidr}) and a reason people can act on.
 */
public record Rejection(ObjectRef object, String field, String reason) {

    @Override
    public String toString() {
        return object + ": " + field + ": " + reason;
    }
}
