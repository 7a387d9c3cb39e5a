package dev.stockade.agent.dataplane;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What must hold before the agent may say rules are realized: {@code nft} runs, and the layout's
 * sysctls have the values without which the rules would be bypassed. An empty list of problems
 * means all hold.
 */
public final class Preconditions {

    private Preconditions() {
    }

    /** The problems found, each naming what to fix; empty when the node can enforce. */
    public static List<String> check(Nft nft, NodeLayout layout) {
        List<String> problems = new ArrayList<>();
        CommandRunner.Result version = nft.version();
        if (!version.ok()) {
            problems.add("nft is not usable" + where(nft) + ": " + version.stderr().strip());
        }
        for (Map.Entry<String, String> required : layout.requiredSysctls().entrySet()) {
            CommandRunner.Result value = nft.sysctl(required.getKey());
            String actual = value.ok() ? value.stdout().strip() : "absent";
            if (!required.getValue().equals(actual)) {
                problems.add(required.getKey().replace('/', '.') + " is " + actual + where(nft) + ", must be "
                        + required.getValue() + " for the " + layout + " layout (otherwise bridged traffic bypasses the rules)");
            }
        }
        return problems;
    }

    private static String where(Nft nft) {
        return nft.namespace() == null ? "" : " in netns " + nft.namespace();
    }
}
