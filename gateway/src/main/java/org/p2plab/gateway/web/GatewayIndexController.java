package org.p2plab.gateway.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import org.p2plab.gateway.config.GatewayProperties;
import org.p2plab.gateway.config.UpstreamSystem;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code GET /}: what is behind the gateway, where, and whether it is up. */
@RestController
public class GatewayIndexController {

    /**
     * The index.
     *
     * @param swaggerUi the aggregated Swagger UI
     * @param systems   every configured system, enabled or not
     */
    public record GatewayIndex(String swaggerUi, List<SystemEntry> systems) {
    }

    /**
     * One system.
     *
     * @param name     system name (route id, metric tag)
     * @param title    display name
     * @param enabled  whether the gateway routes to it
     * @param prefix   route prefix
     * @param url      the system through the gateway
     * @param docs     its OpenAPI document through the gateway (null when disabled)
     * @param nodes    {@code <url>/nodes/{i}} reaches node i for i below this (null: no bound or none)
     * @param upstream the service URL the gateway forwards to
     * @param up       whether its {@code /actuator/health} answered 200 just now
     * @param health   UP, DOWN, OUT_OF_SERVICE, TIMEOUT, UNREACHABLE, DISABLED, ...
     */
    public record SystemEntry(String name, String title, boolean enabled, String prefix, String url, String docs,
                              Integer nodes, String upstream, boolean up, String health) {
    }

    private final GatewayProperties properties;
    private final UpstreamHealth health;

    public GatewayIndexController(GatewayProperties properties, UpstreamHealth health) {
        this.properties = properties;
        this.health = health;
    }

    @Operation(summary = "The systems behind the gateway",
            description = "Every system: its route prefix, its OpenAPI document through the gateway, and whether "
                    + "its service is up (its /actuator/health, asked in parallel within p2plab.gateway.health-timeout).")
    @GetMapping(path = "/", produces = MediaType.APPLICATION_JSON_VALUE)
    public GatewayIndex index() {
        String base = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        Map<String, UpstreamHealth.Health> probes = health.probe(properties.enabledSystems());
        List<SystemEntry> systems = new ArrayList<>();
        for (UpstreamSystem system : properties.systemList()) {
            UpstreamHealth.Health h = probes.get(system.name());
            systems.add(new SystemEntry(system.name(), system.title(), system.enabled(), system.prefix(),
                    base + system.prefix(),
                    system.enabled() ? base + system.docsPath() : null,
                    system.enabled() && system.hasNodeRoutes() ? system.addressableNodes() : null,
                    system.url() != null ? system.url().toString() : null,
                    h != null && h.up(),
                    h != null ? h.status() : "DISABLED"));
        }
        return new GatewayIndex(base + "/swagger-ui.html", systems);
    }
}
