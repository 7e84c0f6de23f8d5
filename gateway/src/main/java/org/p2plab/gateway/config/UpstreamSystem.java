package org.p2plab.gateway.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * One system behind the gateway, resolved from {@link GatewayProperties.SystemProperties}: its
 * route prefix, its service URL and, for multi-node systems, how to reach node {@code i}.
 *
 * @param name         the system name: route id, metric tag, Swagger UI entry (chord, can, ...)
 * @param title        the name shown in the Swagger UI
 * @param enabled      whether the gateway routes to it
 * @param prefix       the route prefix, e.g. {@code /chord}
 * @param url          the service's base URL (any node)
 * @param nodes        node URLs by index (may be empty)
 * @param nodeTemplate node URL template with {@value #NODE_INDEX}, or null
 * @param nodeCount    number of nodes for the template, or null (no bound)
 */
public record UpstreamSystem(
        String name,
        String title,
        boolean enabled,
        String prefix,
        URI url,
        List<URI> nodes,
        String nodeTemplate,
        Integer nodeCount) {

    /** The placeholder for the node index in a node template. */
    public static final String NODE_INDEX = "{i}";

    /** Where the gateway serves this system's OpenAPI document (the service's own /v3/api-docs). */
    public String docsPath() {
        return prefix + "/v3/api-docs";
    }

    /** Whether {@code <prefix>/nodes/{i}/**} addresses single nodes. */
    public boolean hasNodeRoutes() {
        return !nodes.isEmpty() || nodeTemplate != null;
    }

    /** How many nodes are addressable, or null when a template has no {@code node-count}. */
    public Integer addressableNodes() {
        return !nodes.isEmpty() ? Integer.valueOf(nodes.size()) : nodeTemplate != null ? nodeCount : Integer.valueOf(0);
    }

    /** The base URL of node {@code index}, if that node is configured. */
    public Optional<URI> node(int index) {
        if (index < 0) {
            return Optional.empty();
        }
        if (!nodes.isEmpty()) {
            return index < nodes.size() ? Optional.of(nodes.get(index)) : Optional.empty();
        }
        if (nodeTemplate != null && (nodeCount == null || index < nodeCount)) {
            return Optional.of(URI.create(nodeTemplate.replace(NODE_INDEX, Integer.toString(index))));
        }
        return Optional.empty();
    }
}
