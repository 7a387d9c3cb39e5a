package dev.stockade.core.compiled;

import java.util.List;

/** Policies a node gains ({@code added}, whole) and loses ({@code removed}, by id). */
public record PolicyPatch(List<CompiledPolicy> added, List<String> removed) {

    public PolicyPatch {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty();
    }
}
