package dev.stockade.listener.rbac;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the API server's authorizer sees of one HTTP request: the port of Kubernetes'
 * {@code RequestInfoFactory.NewRequestInfo} (k8s.io/apiserver/pkg/endpoints/request) that RBAC
 * needs. A path under {@code /api/v1} or {@code /apis/GROUP/VERSION} is a resource request:
 * "GET" on a collection is {@code list}, or {@code watch} with {@code watch=true}; on a named
 * object {@code get}; POST {@code create}; PUT {@code update}; PATCH {@code patch}; DELETE
 * {@code delete}, or {@code deletecollection} on a collection. {@code namespaces/NS/...} puts the
 * request in namespace NS; a {@code fieldSelector=metadata.name=X} on a list or watch names X
 * (what lets a rule with resourceNames allow it). Anything else ({@code /version}, discovery) is
 * a non-resource request: the lower-cased method on the path ({@link Permission#nonResource}).
 *
 * @param method the HTTP method
 * @param path   the request target as sent (path and query)
 * @param needed the permission the request needs
 */
public record ApiRequest(String method, String path, Permission needed) {

    /** Subresources of a namespace, which keep {@code namespaces/NS/status} a request on the Namespace NS. */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    public static ApiRequest of(String method, String target) {
        URI uri = URI.create(target);
        List<String> parts = new ArrayList<>(Arrays.stream(uri.getRawPath().split("/")).filter(p -> !p.isEmpty())
                .map(p -> URLDecoder.decode(p, StandardCharsets.UTF_8)).toList());
        String group;
        if (parts.size() >= 3 && parts.get(0).equals("api")) {
            group = "";
            parts = parts.subList(2, parts.size());
        } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            parts = parts.subList(3, parts.size());
        } else {
            return nonResource(method, target, uri);
        }
        String verb = switch (method) {
            case "GET", "HEAD" -> "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        if (parts.get(0).equals("watch")) {
            verb = "watch";
            parts = parts.subList(1, parts.size());
            if (parts.isEmpty()) {
                return nonResource(method, target, uri);
            }
        }
        String namespace = null;
        if (parts.get(0).equals("namespaces") && parts.size() > 1) {
            namespace = parts.get(1);
            if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
                parts = parts.subList(2, parts.size());
            }
        }
        String resource = parts.get(0);
        String name = parts.size() > 1 ? parts.get(1) : null;
        if (parts.size() > 2) {
            resource = resource + "/" + parts.get(2);
        }
        if (name == null && verb.equals("get")) {
            verb = isTrue(query(uri, "watch")) ? "watch" : "list";
            name = query(uri, "fieldSelector").filter(s -> s.startsWith("metadata.name=") && !s.contains(","))
                    .map(s -> s.substring("metadata.name=".length())).orElse(null);
        } else if (name == null && verb.equals("delete")) {
            verb = "deletecollection";
        }
        return new ApiRequest(method, target, new Permission(verb, group, resource, namespace, name));
    }

    private static ApiRequest nonResource(String method, String target, URI uri) {
        return new ApiRequest(method, target, Permission.nonResource(method.toLowerCase(java.util.Locale.ROOT),
                uri.getRawPath()));
    }

    private static boolean isTrue(Optional<String> value) {
        return value.map(v -> v.equals("true") || v.equals("1")).orElse(false);
    }

    private static Optional<String> query(URI uri, String key) {
        String raw = uri.getRawQuery();
        if (raw == null) {
            return Optional.empty();
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (k.equals(key)) {
                return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /** The path without its query string, e.g. for reporting. */
    public String pathOnly() {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
