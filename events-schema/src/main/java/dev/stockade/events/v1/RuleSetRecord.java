package dev.stockade.events.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A node's whole rule set at a generation: what a dispatcher sends an agent that cannot resume
 * from its generation (a snapshot), and what it keeps per node. Lists are sorted by id
 * ({@code localPods} by pod). {@code localPods}: the node's pods with an address, selected by a
 * policy or not; left out when there are none, and absent (records written before it existed)
 * reads as none: no local address has a verdict through it.
 */
public record RuleSetRecord(int schemaVersion, String node, long generation, List<RuleDeltaRecord.Policy> policies,
                            List<RuleDeltaRecord.Group> appliedToGroups, List<RuleDeltaRecord.Group> addressGroups,
                            @JsonInclude(JsonInclude.Include.NON_NULL) List<RuleDeltaRecord.LocalPod> localPods) {

    public static final int VERSION = 1;

    /** A rule set that lists no local pods (as written before {@code localPods} existed). */
    public RuleSetRecord(int schemaVersion, String node, long generation, List<RuleDeltaRecord.Policy> policies,
                         List<RuleDeltaRecord.Group> appliedToGroups, List<RuleDeltaRecord.Group> addressGroups) {
        this(schemaVersion, node, generation, policies, appliedToGroups, addressGroups, null);
    }
}
