package dev.stockade.listener.rbac;

/**
 * One Kubernetes authorization atom: a verb on a resource of an API group, in a scope, on one
 * object or any. Used both for what a request needs and for what a role rule grants (a rule with
 * several groups, resources, verbs or resourceNames expands into one Permission per combination).
 *
 * @param verb      get, list, watch, create, update, patch, delete, deletecollection (or {@code *} in a grant)
 * @param group     the API group, {@code ""} for the core group; null for a non-resource URL
 * @param resource  the plural resource, {@code resource/subresource} for a subresource; for a
 *                  non-resource URL the path (in a grant, {@code /prefix/*} covers what starts with {@code /prefix/})
 * @param namespace null: cluster-wide (a cluster-scoped object, or every namespace at once);
 *                  else the one namespace
 * @param name      null: any object (a request on a collection, a rule without resourceNames);
 *                  else the one object
 */
public record Permission(String verb, String group, String resource, String namespace, String name) {

    /** A non-resource URL ({@code /version}, {@code /apis}): granted by a rule's nonResourceURLs, cluster-wide only. */
    public static Permission nonResource(String verb, String path) {
        return new Permission(verb, null, path, null, null);
    }

    public boolean isNonResource() {
        return group == null;
    }

    /**
     * Whether this grant authorizes the needed permission, as Kubernetes RBAC decides it: same
     * (or {@code *}) verb, group and resource; a cluster-wide grant covers every namespace, a
     * namespaced one only its own; a grant limited to resourceNames covers only requests naming
     * one of them (never a create, list or watch of the collection).
     */
    public boolean allows(Permission needed) {
        if (isNonResource() || needed.isNonResource()) {
            return isNonResource() && needed.isNonResource() && matches(verb, needed.verb)
                    && (resource.equals(needed.resource) || resource.equals("*") || resource.endsWith("*")
                            && needed.resource.startsWith(resource.substring(0, resource.length() - 1)));
        }
        return matches(verb, needed.verb) && matches(group, needed.group) && matches(resource, needed.resource)
                && (namespace == null || namespace.equals(needed.namespace))
                && (name == null || name.equals(needed.name));
    }

    private static boolean matches(String granted, String needed) {
        return granted.equals("*") || granted.equals(needed);
    }

    /** E.g. {@code list core/pods (all namespaces)}, {@code update coordination.k8s.io/leases/x (namespace stockade)}. */
    @Override
    public String toString() {
        if (isNonResource()) {
            return verb + " " + resource + " (non-resource URL)";
        }
        return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource + (name == null ? "" : "/" + name)
                + (namespace == null ? " (cluster-wide)" : " (namespace " + namespace + ")");
    }
}
