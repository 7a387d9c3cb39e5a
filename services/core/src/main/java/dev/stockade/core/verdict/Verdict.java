package dev.stockade.core.verdict;

import dev.stockade.core.model.Protocol;

/** One cell of the connectivity matrix: may {@code from} reach {@code to} on {@code port/protocol}. */
public record Verdict(String from, String to, Protocol protocol, int port, boolean allowed) {
}
