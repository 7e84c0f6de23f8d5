package org.p2plab.gateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stub upstream on a random loopback port (the JDK's HttpServer) that echoes what it received:
 * the body verbatim, and in response headers the method, the RAW path and query (as they came on
 * the request line), the content type, the X-Forwarded-* headers and its own name. It also
 * answers {@code /actuator/health} (UP), {@code /status/<code>} (that status) and
 * {@code /redirect} (302), and always sends {@code X-P2P-Hops: 3}.
 */
public final class EchoUpstream implements AutoCloseable {

    public static final List<String> FORWARDED = List.of("X-Forwarded-Host", "X-Forwarded-Port",
            "X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Forwarded-For", "Forwarded");

    private final String name;
    private final HttpServer server;

    public EchoUpstream(String name) {
        this.name = name;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            Headers out = exchange.getResponseHeaders();
            out.add("X-Echo-Stub", name);
            out.add("X-Echo-Method", exchange.getRequestMethod());
            out.add("X-Echo-Path", path);
            out.add("X-Echo-Query", query == null ? "<none>" : query);
            out.add("X-Echo-Content-Type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
            out.add("X-Echo-Host", String.valueOf(exchange.getRequestHeaders().getFirst("Host")));
            for (String header : FORWARDED) {
                String value = exchange.getRequestHeaders().getFirst(header);
                out.add("X-Echo-" + header, value == null ? "<none>" : value);
            }
            out.add("X-P2P-Hops", "3");
            int status = 200;
            if (path.equals("/actuator/health")) {
                body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
                out.add("Content-Type", "application/json");
            }
            else if (path.startsWith("/status/")) {
                status = Integer.parseInt(path.substring("/status/".length()));
                out.add("Content-Type", "text/plain");
                body = ("status " + status).getBytes(StandardCharsets.UTF_8);
            }
            else if (path.equals("/redirect")) {
                status = 302;
                out.add("Location", "/elsewhere");
                body = new byte[0];
            }
            else {
                out.add("Content-Type", "application/octet-stream");
            }
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
