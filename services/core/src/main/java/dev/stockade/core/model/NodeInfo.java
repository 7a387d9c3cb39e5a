package dev.stockade.core.model;

import java.util.Map;

/** A Node: its name and labels (node pools are node labels). Null labels mean none. */
public record NodeInfo(String name, Map<String, String> labels) implements Resource {

    public NodeInfo {
        labels = Labels.copyOf(labels);
    }

    @Override
    public ObjectRef ref() {
        return new ObjectRef(ResourceKind.NODE, "", name);
    }
}
