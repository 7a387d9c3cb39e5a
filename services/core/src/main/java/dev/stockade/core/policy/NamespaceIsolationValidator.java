package dev.stockade.core.policy;

import dev.stockade.core.model.NamespaceInfo;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The 2016 namespace isolation annotations as a policy that ingress-isolates every pod of the
 * namespace and allows nothing by itself.
 *
 * <p>{@code net.alpha.kubernetes.io/network-isolation}: {@code on} isolates, {@code off} (the
 * default) does not; case-insensitive. {@code net.beta.kubernetes.io/network-policy}:
 * {@code {"ingress":{"isolation":"DefaultDeny"}}} isolates; any other well-formed value does not.
 *
 * <p>Decision: a malformed value is rejected with its reason and the namespace is treated as
 * isolated (fail closed): whoever wrote an isolation annotation meant to restrict traffic.
 */
public final class NamespaceIsolationValidator {

    private NamespaceIsolationValidator() {
    }

    /** Empty definition when the namespace is not isolated. */
    public static Validation validate(NamespaceInfo namespace) {
        Validation.Problems problems = new Validation.Problems(namespace.ref());
        String isolatingAnnotation = null;
        String alpha = namespace.annotations().get(NamespaceInfo.ALPHA_ISOLATION);
        if (alpha != null && alphaIsolates(alpha, problems)) {
            isolatingAnnotation = NamespaceInfo.ALPHA_ISOLATION;
        }
        String beta = namespace.annotations().get(NamespaceInfo.BETA_POLICY);
        if (beta != null && betaIsolates(beta, problems) && isolatingAnnotation == null) {
            isolatingAnnotation = NamespaceInfo.BETA_POLICY;
        }
        PolicyDefinition definition = isolatingAnnotation == null ? null : isolation(namespace.name(), isolatingAnnotation);
        return new Validation(java.util.Optional.ofNullable(definition), problems.result(null).rejections());
    }

    private static PolicyDefinition isolation(String namespace, String annotation) {
        return new PolicyDefinition(new PolicyRef(PolicyKind.NamespaceIsolation, namespace, annotation),
                new PodSelection.InNamespace(namespace, Selector.ALL), Set.of(Direction.INGRESS), List.of());
    }

    private static boolean alphaIsolates(String value, Validation.Problems problems) {
        String normalized = value.trim().toLowerCase(Locale.ROOT);
        if (normalized.equals("on")) {
            return true;
        }
        if (normalized.equals("off")) {
            return false;
        }
        problems.reject("metadata.annotations[" + NamespaceInfo.ALPHA_ISOLATION + "]",
                "'" + value + "' is neither on nor off; treated as on (fail closed)");
        return true;
    }

    private static boolean betaIsolates(String value, Validation.Problems problems) {
        String field = "metadata.annotations[" + NamespaceInfo.BETA_POLICY + "]";
        try {
            Object parsed = MiniJson.parse(value);
            if (!(parsed instanceof Map<?, ?> policy)) {
                problems.reject(field, "expected a JSON object like {\"ingress\":{\"isolation\":\"DefaultDeny\"}};"
                        + " treated as DefaultDeny (fail closed)");
                return true;
            }
            return policy.get("ingress") instanceof Map<?, ?> ingress && "DefaultDeny".equals(ingress.get("isolation"));
        } catch (IllegalArgumentException e) {
            problems.reject(field, "not valid JSON (" + e.getMessage() + "); treated as DefaultDeny (fail closed)");
            return true;
        }
    }
}
