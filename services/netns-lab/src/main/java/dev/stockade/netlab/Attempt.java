package dev.stockade.netlab;

/**
 * One real connection attempt between two pods of a {@link NetnsCluster}.
 *
 * @param ok     the destination answered with its own identity within the patience given
 * @param seen   what the client printed (the answer, or nothing)
 * @param detail for people: the source port used and, when not ok, how long it waited
 */
public record Attempt(boolean ok, String seen, String detail) {
}
