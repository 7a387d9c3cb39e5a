package dev.stockade.listener.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Requests map to what RBAC authorizes as the API server's RequestInfoFactory maps them. */
class ApiRequestTest {

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource(delimiter = '|', textBlock = """
            GET    | /api/v1/pods?resourceVersion=0                                  | list core/pods (cluster-wide)
            GET    | /api/v1/pods?allowWatchBookmarks=true&watch=true                | watch core/pods (cluster-wide)
            GET    | /api/v1/watch/namespaces/a/pods                                 | watch core/pods (namespace a)
            GET    | /api/v1/namespaces/a/pods/web-1                                 | get core/pods/web-1 (namespace a)
            GET    | /api/v1/namespaces/a/pods/web-1/log                             | get core/pods/log/web-1 (namespace a)
            GET    | /api/v1/namespaces/a/pods?fieldSelector=metadata.name%3Dweb-1   | list core/pods/web-1 (namespace a)
            GET    | /api/v1/namespaces                                              | list core/namespaces (cluster-wide)
            GET    | /api/v1/namespaces/a                                            | get core/namespaces/a (namespace a)
            PUT    | /api/v1/namespaces/a/status                                     | update core/namespaces/status/a (namespace a)
            POST   | /apis/coordination.k8s.io/v1/namespaces/stockade/leases         | create coordination.k8s.io/leases (namespace stockade)
            PUT    | /apis/coordination.k8s.io/v1/namespaces/stockade/leases/l       | update coordination.k8s.io/leases/l (namespace stockade)
            PATCH  | /apis/coordination.k8s.io/v1/namespaces/stockade/leases/l       | patch coordination.k8s.io/leases/l (namespace stockade)
            DELETE | /apis/networking.k8s.io/v1/namespaces/a/networkpolicies/deny    | delete networking.k8s.io/networkpolicies/deny (namespace a)
            DELETE | /apis/networking.k8s.io/v1/namespaces/a/networkpolicies         | deletecollection networking.k8s.io/networkpolicies (namespace a)
            GET    | /apis/net.alpha.kubernetes.io/v1alpha1/networkpolicys?watch=1   | watch net.alpha.kubernetes.io/networkpolicys (cluster-wide)
            GET    | /version                                                        | get /version (non-resource URL)
            GET    | /apis/networking.k8s.io/v1                                      | get /apis/networking.k8s.io/v1 (non-resource URL)
            """)
    void aRequestNeedsTheVerbResourceScopeAndNameTheApiServerAuthorizes(String method, String path, String needed) {
        assertEquals(needed, ApiRequest.of(method, path).needed().toString());
    }

    @Test
    void aClusterWideGrantCoversEveryNamespaceAndANamespacedOneOnlyItsOwn() {
        Permission needed = ApiRequest.of("GET", "/api/v1/namespaces/a/pods").needed();
        assertTrue(new Permission("list", "", "pods", null, null).allows(needed));
        assertTrue(new Permission("list", "", "pods", "a", null).allows(needed));
        assertFalse(new Permission("list", "", "pods", "b", null).allows(needed));
        assertFalse(new Permission("list", "", "pods", "a", null).allows(ApiRequest.of("GET", "/api/v1/pods").needed()));
    }

    @Test
    void aGrantLimitedToResourceNamesCoversRequestsNamingOneOfThemAndNeverACreateOrAList() {
        Permission lease = new Permission("get", "coordination.k8s.io", "leases", "s", "l");
        assertTrue(lease.allows(ApiRequest.of("GET", "/apis/coordination.k8s.io/v1/namespaces/s/leases/l").needed()));
        assertFalse(lease.allows(ApiRequest.of("GET", "/apis/coordination.k8s.io/v1/namespaces/s/leases/m").needed()));
        assertFalse(new Permission("list", "coordination.k8s.io", "leases", "s", "l")
                .allows(ApiRequest.of("GET", "/apis/coordination.k8s.io/v1/namespaces/s/leases").needed()));
        assertFalse(new Permission("create", "coordination.k8s.io", "leases", "s", "l")
                .allows(ApiRequest.of("POST", "/apis/coordination.k8s.io/v1/namespaces/s/leases").needed()));
    }

    @Test
    void aNonResourceUrlIsCoveredByItsPathOrAPrefixEndingInAStar() {
        Permission apis = Permission.nonResource("get", "/apis/*");
        assertTrue(apis.allows(ApiRequest.of("GET", "/apis/networking.k8s.io/v1").needed()));
        assertFalse(apis.allows(ApiRequest.of("GET", "/version").needed()));
        assertFalse(apis.allows(ApiRequest.of("GET", "/apis/networking.k8s.io/v1/networkpolicies").needed()));
        assertFalse(new Permission("get", "*", "*", null, null).allows(ApiRequest.of("GET", "/version").needed()));
    }
}
