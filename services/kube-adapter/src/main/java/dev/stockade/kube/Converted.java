package dev.stockade.kube;

import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.Resource;
import java.util.List;
import java.util.Optional;

/**
 * The result of converting one Kubernetes object: a core resource, or rejections naming the
 * object and field, or a note that the object's kind is not one Stockade reads. A resource may
 * come with rejections where a field was refused but the object is still read, failing closed
 * (a namespace isolation annotation that is not a string isolates the namespace).
 */
public record Converted(Optional<Resource> resource, List<Rejection> rejections, Optional<String> ignored) {

    public Converted {
        rejections = List.copyOf(rejections);
    }

    static Converted of(Resource resource) {
        return new Converted(Optional.of(resource), List.of(), Optional.empty());
    }

    static Converted rejected(List<Rejection> rejections) {
        return new Converted(Optional.empty(), rejections, Optional.empty());
    }

    static Converted ignored(String why) {
        return new Converted(Optional.empty(), List.of(), Optional.of(why));
    }
}
