package dev.stockade.events.v1;

import java.util.List;

/**
 * Value of a {@code stockade.control} record: a request to the active compiler.
 * <ul>
 *   <li>{@code resync}: publish a snapshot ({@link RuleSetRecord}, header {@value RulesTopic#TYPE_HEADER}
 *       = {@value RulesTopic#SNAPSHOT}) of each listed node on {@code stockade.rules}, or of every
 *       node with rules when {@code nodes} is empty. A dispatcher that lost its state asks this.</li>
 * </ul>
 */
public record ControlRecord(int schemaVersion, String type, List<String> nodes, String requestedBy) {

    public static final int VERSION = 1;
    public static final String RESYNC = "resync";

    public static ControlRecord resync(List<String> nodes, String requestedBy) {
        return new ControlRecord(VERSION, RESYNC, List.copyOf(nodes), requestedBy);
    }
}
