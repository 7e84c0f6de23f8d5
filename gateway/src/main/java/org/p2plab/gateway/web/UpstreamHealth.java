package org.p2plab.gateway.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.p2plab.gateway.config.GatewayProperties;
import org.p2plab.gateway.config.UpstreamSystem;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks every enabled system's service for {@code /actuator/health}, all at once, each within
 * {@code p2plab.gateway.health-timeout}: a slow or dead upstream makes {@code GET /} at most that
 * much slower, never hang.
 */
@Component
public class UpstreamHealth implements DisposableBean {

    /** What a probe found: {@code up} when the service answered 200; {@code status} says more. */
    public record Health(boolean up, String status) {
    }

    private final Duration timeout;
    private final HttpClient client;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final JsonMapper json = JsonMapper.shared();

    public UpstreamHealth(GatewayProperties properties) {
        this.timeout = properties.healthTimeout();
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /** The health of each system, by name, in the order given. */
    public Map<String, Health> probe(List<UpstreamSystem> systems) {
        Map<String, CompletableFuture<Health>> probes = new LinkedHashMap<>();
        for (UpstreamSystem system : systems) {
            probes.put(system.name(), CompletableFuture.supplyAsync(() -> probe(system.url()), executor)
                    .completeOnTimeout(new Health(false, "TIMEOUT"), timeout.toMillis() + 250, TimeUnit.MILLISECONDS));
        }
        Map<String, Health> result = new LinkedHashMap<>();
        probes.forEach((name, probe) -> result.put(name, probe.join()));
        return result;
    }

    private Health probe(URI base) {
        String url = base.toString().replaceAll("/+$", "") + "/actuator/health";
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String status = status(response.body());
            if (response.statusCode() == 200) {
                return new Health(true, status != null ? status : "UP");
            }
            return new Health(false, status != null ? status : "HTTP " + response.statusCode());
        }
        catch (java.net.http.HttpTimeoutException e) {
            return new Health(false, "TIMEOUT");
        }
        catch (java.io.IOException e) {
            return new Health(false, "UNREACHABLE");
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Health(false, "UNKNOWN");
        }
        catch (RuntimeException e) {
            return new Health(false, "UNKNOWN");
        }
    }

    private String status(String body) {
        try {
            JsonNode status = json.readTree(body).get("status");
            return status != null && status.isString() ? status.asString() : null;
        }
        catch (RuntimeException notJson) {
            return null;
        }
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
