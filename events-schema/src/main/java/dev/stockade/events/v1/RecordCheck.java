package dev.stockade.events.v1;

import dev.stockade.core.compiled.PolicyTier;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.policy.Cidr;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.PolicyKind;
import dev.stockade.core.policy.RuleAction;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a bound rule record must hold beyond its JSON shape, checked by {@link WireJson} before
 * anyone converts it: the fields the core cannot represent as absent, list elements that are not
 * null, the text values {@link RuleDeltaCodec#fromWire} parses (directions, policy kinds, tiers,
 * actions, protocols, CIDRs), and that a policy's tier, priority and rule actions fit its kind. A record
 * that passes converts without error; the first field that does not
 * pass is named by its path ({@code policies.added[0].rules[0].ports[1].protocol}).
 *
 * <p>Records are walked component by component, so a field added to version 1 later is optional
 * (absent in records written before it) unless it is listed here.
 */
final class RecordCheck {

    /** Components that may not be null or absent, as {@code Record.component}. */
    private static final Set<String> REQUIRED = Set.of(
            "RuleDeltaRecord.node", "RuleDeltaRecord.policies", "RuleDeltaRecord.appliedToGroups",
            "RuleDeltaRecord.addressGroups",
            "RuleSetRecord.node", "RuleSetRecord.policies", "RuleSetRecord.appliedToGroups", "RuleSetRecord.addressGroups",
            "PolicyPatch.added", "PolicyPatch.removed",
            "GroupPatch.added", "GroupPatch.removed", "GroupPatch.patched",
            "MemberPatch.group", "MemberPatch.added", "MemberPatch.removed",
            "LocalPodPatch.added", "LocalPodPatch.removed", "LocalPod.pod", "LocalPod.ips",
            "Policy.id", "Policy.kind", "Policy.namespace", "Policy.name", "Policy.appliedToGroup", "Policy.isolates",
            "Policy.rules",
            "Rule.direction", "Rule.addressGroups", "Rule.ipBlocks", "Rule.ports",
            "IpBlock.cidr", "IpBlock.except",
            "Port.protocol",
            "Group.id", "Group.members",
            "Member.pod", "Member.ips", "Member.namedPorts",
            "NamedPort.name", "NamedPort.protocol");

    /** A text value that must parse: what it must be, and the test. */
    private record Value(String expected, Predicate<String> parses) {

        static Value oneOf(Enum<?>[] constants) {
            Set<String> names = Arrays.stream(constants).map(Enum::name).collect(Collectors.toUnmodifiableSet());
            return new Value("one of " + Arrays.stream(constants).map(Enum::name).collect(Collectors.joining(", ")),
                    names::contains);
        }
    }

    private static final Value DIRECTION = Value.oneOf(Direction.values());
    private static final Value PROTOCOL = Value.oneOf(Protocol.values());
    private static final Value CIDR = new Value("a CIDR", text -> Cidr.parse(text).isPresent());
    /** Only the ClusterNetworkPolicy tiers are written; the NetworkPolicy tier is the absent one. */
    private static final Value TIER = Value.oneOf(new PolicyTier[] {PolicyTier.ADMIN, PolicyTier.BASELINE});

    /** Text components (or the text elements of a list component) that must parse. */
    private static final Map<String, Value> VALUES = Map.of(
            "Policy.kind", Value.oneOf(PolicyKind.values()), "Policy.isolates", DIRECTION, "Rule.direction", DIRECTION,
            "Port.protocol", PROTOCOL, "NamedPort.protocol", PROTOCOL, "IpBlock.cidr", CIDR, "IpBlock.except", CIDR,
            "Policy.tier", TIER, "Rule.action", Value.oneOf(RuleAction.values()));

    private static final ClassValue<RecordComponent[]> COMPONENTS = new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
            return type.getRecordComponents();
        }
    };

    private RecordCheck() {
    }

    /** The first field of the record that is missing or does not parse, as {@code path: problem}; empty when none. */
    static Optional<String> problem(Record record) {
        return problem(record, "");
    }

    private static Optional<String> problem(Record record, String at) {
        String type = record.getClass().getSimpleName();
        for (RecordComponent component : COMPONENTS.get(record.getClass())) {
            String key = type + "." + component.getName();
            String path = at.isEmpty() ? component.getName() : at + "." + component.getName();
            Object value = read(component, record);
            Optional<String> problem = value instanceof List<?> list ? elements(list, key, path) : value(value, key, path);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return record instanceof RuleDeltaRecord.Policy policy ? tierProblem(policy, at) : Optional.empty();
    }

    /**
     * A policy's tier fields fit its kind: a ClusterNetworkPolicy kind has its tier, a priority
     * 0-1000, no isolated direction and an action on every rule; any other kind has none of these.
     * Called once its fields have parsed.
     */
    private static Optional<String> tierProblem(RuleDeltaRecord.Policy policy, String at) {
        String path = at.isEmpty() ? "" : at + ".";
        PolicyTier kindTier = PolicyTier.of(PolicyKind.valueOf(policy.kind()));
        boolean tiered = kindTier != PolicyTier.NETWORK_POLICY;
        if (!tiered) {
            if (policy.tier() != null || policy.priority() != null) {
                return Optional.of(path + (policy.tier() != null ? "tier" : "priority") + ": kind " + policy.kind()
                        + " has no tier and no priority");
            }
        } else if (policy.tier() == null || policy.priority() == null) {
            return Optional.of(path + (policy.tier() == null ? "tier" : "priority") + ": missing (kind " + policy.kind()
                    + " is a ClusterNetworkPolicy)");
        } else if (PolicyTier.valueOf(policy.tier()) != kindTier) {
            return Optional.of(path + "tier: " + WireJson.quoted(policy.tier()) + " is not the tier of kind " + policy.kind());
        } else if (policy.priority() < 0 || policy.priority() > 1000) {
            return Optional.of(path + "priority: " + policy.priority() + " is not 0-1000");
        } else if (!policy.isolates().isEmpty()) {
            return Optional.of(path + "isolates: a ClusterNetworkPolicy isolates no direction");
        }
        for (int i = 0; i < policy.rules().size(); i++) {
            if ((policy.rules().get(i).action() != null) != tiered) {
                return Optional.of(path + "rules[" + i + "].action: " + (tiered ? "missing (every rule of a"
                        + " ClusterNetworkPolicy has an action)" : "a rule of kind " + policy.kind() + " has no action"));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> elements(List<?> list, String key, String path) {
        for (int i = 0; i < list.size(); i++) {
            Object element = list.get(i);
            String at = path + "[" + i + "]";
            if (element == null) {
                return Optional.of(at + ": null is not a value here");
            }
            Optional<String> problem = value(element, key, at);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> value(Object value, String key, String path) {
        if (value == null) {
            return REQUIRED.contains(key) ? Optional.of(path + ": missing") : Optional.empty();
        }
        if (value instanceof Record nested && nested.getClass().getPackage() == RecordCheck.class.getPackage()) {
            return problem(nested, path);
        }
        Value expected = VALUES.get(key);
        if (expected != null && value instanceof String text && !expected.parses().test(text)) {
            return Optional.of(path + ": " + WireJson.quoted(text) + " is not " + expected.expected());
        }
        return Optional.empty();
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }
}
