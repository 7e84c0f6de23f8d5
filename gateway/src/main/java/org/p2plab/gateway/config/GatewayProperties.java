package org.p2plab.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code p2plab.gateway.*}: the timeouts and the systems behind the gateway. The routes, the
 * Swagger UI entries and the {@code GET /} index are all built from {@link #systems()}, so the
 * same configuration serves the local lab (loopback URLs) and Kubernetes (Service DNS names,
 * StatefulSet pod names): only the URLs differ, set by property or environment variable
 * ({@code P2PLAB_GATEWAY_SYSTEMS_CHORD_URL=http://chord-node:8086}).
 *
 * @param connectTimeout how long the gateway waits for a TCP connection to an upstream (default
 *                       1s); a refused or timed-out connect answers 502 {@code upstream-unavailable}
 * @param readTimeout    how long it waits for the upstream's response headers (default 10s);
 *                       slower answers 504 {@code upstream-timeout}
 * @param healthTimeout  the budget of one upstream health probe for {@code GET /} (default 1s)
 * @param systems        the systems by name (chord, can, napster, ...); see {@link SystemProperties}
 */
@ConfigurationProperties("p2plab.gateway")
public record GatewayProperties(
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("10s") Duration readTimeout,
        @DefaultValue("1s") Duration healthTimeout,
        Map<String, SystemProperties> systems) {

    /** First path segments the gateway serves itself: a system prefix must not shadow them. */
    static final Set<String> RESERVED_SEGMENTS = Set.of("actuator", "swagger-ui", "swagger-ui.html", "v3",
            "webjars", "error");

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    /** Prefix segments are plain unreserved characters, so the raw and the decoded path agree. */
    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    public GatewayProperties {
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(1), "connect-timeout");
        readTimeout = positive(readTimeout, Duration.ofSeconds(10), "read-timeout");
        healthTimeout = positive(healthTimeout, Duration.ofSeconds(1), "health-timeout");
        systems = systems == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(systems));
        resolve(systems); // fail at start-up, with the property's name, not on the first request
    }

    /** Every configured system, resolved and validated, in configuration order. */
    public List<UpstreamSystem> systemList() {
        return resolve(systems);
    }

    /** The enabled systems: the ones with routes, Swagger UI entries and health probes. */
    public List<UpstreamSystem> enabledSystems() {
        return systemList().stream().filter(UpstreamSystem::enabled).toList();
    }

    private static List<UpstreamSystem> resolve(Map<String, SystemProperties> systems) {
        List<UpstreamSystem> resolved = new ArrayList<>();
        Map<String, String> prefixes = new HashMap<>();
        systems.forEach((name, props) -> {
            if (!NAME.matcher(name).matches()) {
                throw invalid(name, "", "the system name must be lower-case words joined by '-', got '" + name + "'");
            }
            SystemProperties p = props != null ? props : new SystemProperties(false, null, null, null, null, null, null);
            UpstreamSystem system = resolve(name, p);
            if (system.enabled()) {
                String other = prefixes.putIfAbsent(system.prefix(), name);
                if (other != null) {
                    throw invalid(name, ".prefix", "prefix " + system.prefix() + " is already used by system '" + other + "'");
                }
            }
            resolved.add(system);
        });
        return List.copyOf(resolved);
    }

    private static UpstreamSystem resolve(String name, SystemProperties p) {
        String prefix = p.prefix() == null || p.prefix().isBlank() ? "/" + name : p.prefix().strip();
        String title = p.title() == null || p.title().isBlank() ? name : p.title().strip();
        List<URI> nodes = p.nodes() == null ? List.of() : List.copyOf(p.nodes());
        String template = p.nodeTemplate() == null || p.nodeTemplate().isBlank() ? null : p.nodeTemplate().strip();
        if (!p.enabled()) {
            // a disabled block is only listed by GET /: it may be half-configured
            return new UpstreamSystem(name, title, false, prefix, p.url(), nodes, template, p.nodeCount());
        }
        if (!PREFIX.matcher(prefix).matches()) {
            throw invalid(name, ".prefix", "prefix must look like /" + name
                    + " (segments of letters, digits, '.', '_', '~', '-', no trailing '/'), got '" + prefix + "'");
        }
        String first = prefix.substring(1).split("/", 2)[0];
        if (RESERVED_SEGMENTS.contains(first)) {
            throw invalid(name, ".prefix", "prefix " + prefix + " would hide the gateway's own /" + first);
        }
        if (p.url() == null) {
            throw invalid(name, ".url", "an enabled system needs the URL of its service, e.g. http://127.0.0.1:8086");
        }
        requireBaseUrl(p.url(), name, ".url");
        for (int i = 0; i < nodes.size(); i++) {
            requireBaseUrl(nodes.get(i), name, ".nodes[" + i + "]");
        }
        if (!nodes.isEmpty() && template != null) {
            throw invalid(name, ".node-template", "set either nodes (a list of URLs) or node-template, not both");
        }
        if (template != null) {
            if (!template.contains(UpstreamSystem.NODE_INDEX)) {
                throw invalid(name, ".node-template", "the template must contain " + UpstreamSystem.NODE_INDEX
                        + ", e.g. http://chord-node-{i}.chord-node:8086, got '" + template + "'");
            }
            URI example;
            try {
                example = URI.create(template.replace(UpstreamSystem.NODE_INDEX, "0"));
            }
            catch (IllegalArgumentException e) {
                throw invalid(name, ".node-template", "not a URL template: '" + template + "'");
            }
            requireBaseUrl(example, name, ".node-template");
        }
        if (p.nodeCount() != null && p.nodeCount() < 1) {
            throw invalid(name, ".node-count", "node-count must be at least 1, got " + p.nodeCount());
        }
        return new UpstreamSystem(name, title, true, prefix, p.url(), nodes, template, p.nodeCount());
    }

    private static void requireBaseUrl(URI url, String name, String property) {
        boolean http = url.getScheme() != null
                && (url.getScheme().equalsIgnoreCase("http") || url.getScheme().equalsIgnoreCase("https"));
        if (!http || url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw invalid(name, property, "must be an absolute http(s) URL without query or fragment, got '" + url + "'");
        }
    }

    private static IllegalArgumentException invalid(String name, String property, String message) {
        return new IllegalArgumentException("p2plab.gateway.systems." + name + property + ": " + message);
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("p2plab.gateway." + name + " must be positive, got " + value);
        }
        return value;
    }

    /**
     * {@code p2plab.gateway.systems.<name>.*}: one system behind the gateway.
     *
     * @param enabled      whether the gateway routes to it (default false)
     * @param title        the name shown in the Swagger UI's selector (default: the system name)
     * @param prefix       the route prefix, stripped before forwarding (default {@code /<name>})
     * @param url          the base URL of the service: any node of a multi-node system, since any node
     *                     can start a lookup (lab: {@code http://127.0.0.1:8086}; Kubernetes: the Service)
     * @param nodes        per-node routing as a list: {@code <prefix>/nodes/{i}/**} goes to {@code nodes[i]}
     * @param nodeTemplate per-node routing as a template with {@code {i}}, e.g.
     *                     {@code http://chord-node-{i}.chord-node:8086} for StatefulSet pods
     * @param nodeCount    with a template, the number of nodes (indexes at or above it are 404);
     *                     unset means no upper bound
     */
    public record SystemProperties(
            boolean enabled,
            String title,
            String prefix,
            URI url,
            List<URI> nodes,
            String nodeTemplate,
            Integer nodeCount) {
    }
}
