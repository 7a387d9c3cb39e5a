package dev.stockade.events.v1;

import java.util.List;

/**
 * A node's whole rule set at a generation: what a dispatcher sends an agent that cannot resume
 * from its generation (a snapshot), and what it keeps per node. Lists are sorted by id.
 */
public record RuleSetRecord(int schemaVersion, String node, long generation, List<RuleDeltaRecord.Policy> policies,
                            List<RuleDeltaRecord.Group> appliedToGroups, List<RuleDeltaRecord.Group> addressGroups) {

    public static final int VERSION = 1;
}
