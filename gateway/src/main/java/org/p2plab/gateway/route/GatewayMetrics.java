package org.p2plab.gateway.route;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.http.HttpStatus;

/**
 * {@code gateway.requests} (Prometheus {@code gateway_requests_seconds_*}): one timer per route,
 * the time from the request reaching the route until the upstream's answer (or the gateway's
 * problem) is written. Tags: {@code routeId} (chord, chord-nodes, ...), {@code system},
 * {@code method}, {@code status} (the status the client got), {@code outcome} (SUCCESS,
 * REDIRECTION, CLIENT_ERROR, SERVER_ERROR, INFORMATIONAL, UNKNOWN). Named and tagged like Spring
 * Cloud Gateway's WebFlux metric, which the WebMVC server does not have.
 */
public class GatewayMetrics {

    public static final String REQUESTS = "gateway.requests";

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

    private final MeterRegistry registry;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String routeId, String system, String method, int status, long nanos) {
        Timer.builder(REQUESTS)
                .description("Requests routed by the gateway, until the answer is written")
                .tag("routeId", routeId)
                .tag("system", system)
                .tag("method", METHODS.contains(method) ? method : "OTHER")
                .tag("status", Integer.toString(status))
                .tag("outcome", outcome(status))
                .publishPercentileHistogram()
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    static String outcome(int status) {
        HttpStatus.Series series = HttpStatus.Series.resolve(status);
        if (series == null) {
            return "UNKNOWN";
        }
        return switch (series) {
            case INFORMATIONAL -> "INFORMATIONAL";
            case SUCCESSFUL -> "SUCCESS";
            case REDIRECTION -> "REDIRECTION";
            case CLIENT_ERROR -> "CLIENT_ERROR";
            case SERVER_ERROR -> "SERVER_ERROR";
        };
    }
}
