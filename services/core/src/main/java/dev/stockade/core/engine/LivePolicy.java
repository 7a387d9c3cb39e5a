package dev.stockade.core.engine;

import dev.stockade.core.compiled.CompiledPolicy;
import java.util.List;

/** A policy in force in the engine: its compiled form and the live groups it holds. */
record LivePolicy(CompiledPolicy compiled, LiveGroup appliedTo, List<LiveGroup> addressGroups) {

    /** Every group the policy holds a reference on. */
    List<LiveGroup> groups() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(appliedTo), addressGroups.stream()).toList();
    }
}
