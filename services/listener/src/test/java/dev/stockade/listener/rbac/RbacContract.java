package dev.stockade.listener.rbac;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * "RBAC is what the code calls": the grants of an identity against the requests it made. A
 * request no grant allows is <em>missing</em> (the API server would answer 403); a grant that is
 * not exactly the permission some request needed is <em>more</em> than used: never used at all,
 * or broader (cluster-wide where one namespace was used, any object where one name was used).
 */
public final class RbacContract {

    /**
     * What every authenticated identity is granted by the API server's bootstrap ClusterRoles
     * bound to {@code system:authenticated} (system:discovery, system:public-info-viewer,
     * system:basic-user): allowed without a manifest of ours, and never "more than used".
     */
    public static final Set<Permission> CLUSTER_DEFAULTS = Stream.concat(
            Stream.of("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*",
                    "/readyz", "/version", "/version/").map(url -> Permission.nonResource("get", url)),
            Stream.of(new Permission("create", "authorization.k8s.io", "selfsubjectaccessreviews", null, null),
                    new Permission("create", "authorization.k8s.io", "selfsubjectrulesreviews", null, null),
                    new Permission("create", "authentication.k8s.io", "selfsubjectreviews", null, null)))
            .collect(Collectors.toUnmodifiableSet());

    private RbacContract() {
    }

    /** Each permission that was needed and that neither the grants nor the cluster defaults allow, with one request that needed it. */
    public static List<String> missing(Set<Permission> grants, List<ApiRequest> requests) {
        Map<Permission, ApiRequest> denied = new LinkedHashMap<>();
        for (ApiRequest r : requests) {
            boolean allowed = Stream.concat(grants.stream(), CLUSTER_DEFAULTS.stream()).anyMatch(g -> g.allows(r.needed()));
            if (!allowed) {
                denied.putIfAbsent(r.needed(), r);
            }
        }
        List<String> out = new ArrayList<>();
        denied.forEach((p, r) -> out.add(p + " is needed (" + r.method() + " " + r.path() + ") and not granted"));
        return out;
    }

    /** Each grant that is not exactly a permission some request needed, saying what was used instead. */
    public static List<String> unused(Set<Permission> grants, List<ApiRequest> requests) {
        Set<Permission> used = requests.stream().map(ApiRequest::needed).collect(Collectors.toSet());
        List<String> out = new ArrayList<>();
        for (Permission g : grants) {
            if (used.contains(g)) {
                continue;
            }
            List<String> covered = used.stream().filter(g::allows).map(Permission::toString).sorted().toList();
            out.add(covered.isEmpty() ? g + " is granted and never used"
                    : g + " is granted, broader than what was used: " + covered);
        }
        return out;
    }
}
