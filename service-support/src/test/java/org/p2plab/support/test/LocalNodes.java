package org.p2plab.support.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real service applications on random loopback ports in this JVM, and an HTTP client for them:
 * the base of each service's multi-node test helper (shared through service-support's test jar).
 */
public class LocalNodes implements AutoCloseable {

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * Starts one application with these properties, given as command-line arguments so that they
     * win over application.yml, plus {@code extra} "name=value" pairs on top.
     */
    protected ConfigurableApplicationContext start(Class<?> application, Map<String, Object> props, String... extra) {
        for (String kv : extra) {
            int eq = kv.indexOf('=');
            props.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(application).run(args);
        contexts.add(ctx);
        return ctx;
    }

    public static String url(ConfigurableApplicationContext ctx) {
        return "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
    }

    public HttpResponse<byte[]> send(String method, String url, byte[] body, String contentType) {
        return send(method, url, body, contentType, null);
    }

    /** With an {@code Accept} header (null: none). */
    public HttpResponse<byte[]> send(String method, String url, byte[] body, String contentType, String accept) {
        return accept == null ? sendWith(method, url, body, contentType) : sendWith(method, url, body, contentType, "Accept", accept);
    }

    /** With headers given as name, value, name, value... */
    public HttpResponse<byte[]> sendWith(String method, String url, byte[] body, String contentType, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<byte[]> get(String url) {
        return send("GET", url, null, null);
    }

    private static final tools.jackson.databind.ObjectMapper JSON = new tools.jackson.databind.ObjectMapper();

    /** A JSON call (body as application/json, null: none) that must answer 2xx; its body parsed (null if empty). */
    public tools.jackson.databind.JsonNode json(String method, String url, String body, String... headers) {
        HttpResponse<byte[]> r = sendWith(method, url, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                body == null ? null : "application/json", headers);
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + url + " answered " + r.statusCode() + ": "
                    + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return r.body().length == 0 ? null : JSON.readTree(r.body());
    }

    /** {@code GET url} as JSON (2xx required). */
    public tools.jackson.databind.JsonNode json(String url) {
        return json("GET", url, null);
    }

    public static tools.jackson.databind.JsonNode parse(byte[] body) {
        return JSON.readTree(body);
    }

    public void stop(ConfigurableApplicationContext ctx) {
        ctx.close();
        contexts.remove(ctx);
    }

    @Override
    public void close() {
        for (ConfigurableApplicationContext ctx : List.copyOf(contexts)) {
            ctx.close();
        }
        contexts.clear();
    }
}
