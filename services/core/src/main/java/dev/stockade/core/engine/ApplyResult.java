package dev.stockade.core.engine;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.model.Rejection;
import java.util.List;

/** What one event produced: per-node deltas (sorted by node, no empty ones) and rejections. */
public record ApplyResult(List<NodeDelta> deltas, List<Rejection> rejections) {

    public ApplyResult {
        deltas = List.copyOf(deltas);
        rejections = List.copyOf(rejections);
    }
}
