package org.p2plab.chord;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.p2plab.chord.config.ChordService;
import org.p2plab.chord.protocol.ChordNode;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Real chord-node applications on random loopback ports in this JVM, and an HTTP client for them. */
public final class LocalChordNodes implements AutoCloseable {

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** Fast maintenance so tests converge in seconds, in-memory H2 per node. */
    public ConfigurableApplicationContext start(String bootstrap, String... extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", "0");
        props.put("server.address", "127.0.0.1");
        props.put("spring.datasource.url", "jdbc:h2:mem:chord-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        props.put("p2plab.chord.bootstrap", bootstrap == null ? "" : bootstrap);
        props.put("p2plab.chord.stabilize-interval", "150ms");
        props.put("p2plab.chord.fix-fingers-interval", "50ms");
        props.put("p2plab.chord.check-predecessor-interval", "200ms");
        props.put("p2plab.chord.replication-interval", "400ms");
        props.put("p2plab.chord.replica-lease", "20s");
        props.put("p2plab.chord.join-retry-interval", "200ms");
        props.put("p2plab.http.connect-timeout", "300ms");
        props.put("p2plab.http.read-timeout", "2s");
        props.put("logging.level.root", "WARN");
        for (String kv : extra) {
            int eq = kv.indexOf('=');
            props.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        // as command-line arguments: they must win over application.yml (builder properties are only defaults)
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(ChordNodeApplication.class).run(args);
        contexts.add(ctx);
        return ctx;
    }

    public static String url(ConfigurableApplicationContext ctx) {
        return "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
    }

    public static ChordNode node(ConfigurableApplicationContext ctx) {
        return ctx.getBean(ChordService.class).node();
    }

    public HttpResponse<byte[]> send(String method, String url, byte[] body, String contentType) {
        return send(method, url, body, contentType, null);
    }

    /** With an {@code Accept} header (null: none). */
    public HttpResponse<byte[]> send(String method, String url, byte[] body, String contentType, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<byte[]> get(String url) {
        return send("GET", url, null, null);
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
