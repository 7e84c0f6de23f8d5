package org.p2plab.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.p2plab.gateway.support.EchoUpstream;
import org.p2plab.gateway.support.RawUpstream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upstreams that are down, crash mid-request or hang: the client gets a 502/504 problem within
 * the configured timeouts, an idempotent GET is sent once more after a broken connection (and
 * only then), and {@code GET /} reports which systems are up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "p2plab.gateway.connect-timeout=500ms",
        "p2plab.gateway.read-timeout=700ms",
        "p2plab.gateway.health-timeout=500ms"})
class GatewayUpstreamFailureTest {

    static final int DOWN_PORT = RawUpstream.closedPort();
    static final RawUpstream CRASHING = new RawUpstream(RawUpstream.Mode.CLOSE);
    static final RawUpstream HUNG = new RawUpstream(RawUpstream.Mode.SILENT);
    static final EchoUpstream HEALTHY = new EchoUpstream("healthy");

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    static final JsonMapper JSON = JsonMapper.shared();

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("p2plab.gateway.systems.chord.url", () -> "http://127.0.0.1:" + DOWN_PORT);
        registry.add("p2plab.gateway.systems.can.enabled", () -> "true");
        registry.add("p2plab.gateway.systems.can.url", CRASHING::url);
        registry.add("p2plab.gateway.systems.napster.enabled", () -> "true");
        registry.add("p2plab.gateway.systems.napster.url", HUNG::url);
        registry.add("p2plab.gateway.systems.gnutella.enabled", () -> "true");
        registry.add("p2plab.gateway.systems.gnutella.url", HEALTHY::url);
    }

    @AfterAll
    static void stop() {
        CRASHING.close();
        HUNG.close();
        HEALTHY.close();
    }

    @Value("${local.server.port}")
    int port;

    HttpResponse<String> send(String method, String path) throws Exception {
        // the client waits far longer than the gateway should: a hang would show as a slow answer
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    record Timed(HttpResponse<String> response, Duration took) {
    }

    Timed timed(String method, String path) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = send(method, path);
        return new Timed(r, Duration.ofNanos(System.nanoTime() - t0));
    }

    static JsonNode problem(HttpResponse<String> r, int status, String kind) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("type").asString()).isEqualTo("urn:p2plab:problem:" + kind);
        assertThat(p.path("status").asInt()).isEqualTo(status);
        return p;
    }

    @Test
    void aDownUpstreamIsA502ProblemAtOnce() throws Exception {
        Timed t = timed("GET", "/chord/dht/hello");

        JsonNode p = problem(t.response(), 502, "upstream-unavailable");
        assertThat(p.path("system").asString()).isEqualTo("chord");
        assertThat(p.path("upstream").asString()).isEqualTo("http://127.0.0.1:" + DOWN_PORT);
        assertThat(p.path("instance").asString()).isEqualTo("/chord/dht/hello");
        assertThat(p.path("detail").asString()).contains("cannot be reached");
        // refused connections fail fast: two attempts, far below even one connect timeout each
        assertThat(t.took()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aGetIsRetriedOnceWhenTheConnectionBreaksAndAPutIsNot() throws Exception {
        for (int i = 0; i < 5; i++) {
            int before = CRASHING.accepted();
            problem(send("GET", "/can/points/" + i), 502, "upstream-unavailable");
            assertThat(CRASHING.accepted() - before).as("connections for GET %d", i).isEqualTo(2);

            before = CRASHING.accepted();
            problem(send("PUT", "/can/points/" + i), 502, "upstream-unavailable");
            assertThat(CRASHING.accepted() - before).as("connections for PUT %d", i).isEqualTo(1);
        }
    }

    @Test
    void aHungUpstreamIsA504ProblemAfterTheReadTimeoutAndNotRetried() throws Exception {
        int before = HUNG.accepted();
        Timed t = timed("GET", "/napster/search?q=x");

        JsonNode p = problem(t.response(), 504, "upstream-timeout");
        assertThat(p.path("system").asString()).isEqualTo("napster");
        assertThat(t.took()).isGreaterThanOrEqualTo(Duration.ofMillis(700)).isLessThan(Duration.ofSeconds(5));
        assertThat(HUNG.accepted() - before).isEqualTo(1);
    }

    @Test
    void theIndexSaysWhichSystemsAreUpWithoutWaitingForTheHungOne() throws Exception {
        Timed t = timed("GET", "/");

        assertThat(t.response().statusCode()).isEqualTo(200);
        assertThat(t.took()).isLessThan(Duration.ofSeconds(3));
        JsonNode index = JSON.readTree(t.response().body());
        assertThat(index.path("swaggerUi").asString()).isEqualTo("http://127.0.0.1:" + port + "/swagger-ui.html");
        JsonNode chord = system(index, "chord");
        assertThat(chord.path("up").asBoolean()).isFalse();
        assertThat(chord.path("health").asString()).isEqualTo("UNREACHABLE");
        assertThat(chord.path("url").asString()).isEqualTo("http://127.0.0.1:" + port + "/chord");
        assertThat(chord.path("docs").asString()).isEqualTo("http://127.0.0.1:" + port + "/chord/v3/api-docs");
        assertThat(system(index, "napster").path("health").asString()).isEqualTo("TIMEOUT");
        assertThat(system(index, "can").path("up").asBoolean()).isFalse();
        JsonNode healthy = system(index, "gnutella");
        assertThat(healthy.path("up").asBoolean()).isTrue();
        assertThat(healthy.path("health").asString()).isEqualTo("UP");
        JsonNode disabled = system(index, "publius");
        assertThat(disabled.path("enabled").asBoolean()).isFalse();
        assertThat(disabled.path("health").asString()).isEqualTo("DISABLED");
        assertThat(disabled.path("docs").isNull()).isTrue();
    }

    @Test
    void swaggerUiListsEveryEnabledSystemWithItsDocumentThroughTheGateway() throws Exception {
        HttpResponse<String> r = send("GET", "/v3/api-docs/swagger-config");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode urls = JSON.readTree(r.body()).path("urls");
        assertThat(urls.valueStream().map(u -> u.path("name").asString() + " " + u.path("url").asString()).toList())
                .containsExactlyInAnyOrder("Chord DHT (chord-node) /chord/v3/api-docs", "CAN DHT (can-node) /can/v3/api-docs",
                        "Napster index (index-service) /napster/v3/api-docs",
                        "Gnutella servent (gnutella-peer) /gnutella/v3/api-docs");
        assertThat(send("GET", "/swagger-ui/index.html").statusCode()).isEqualTo(200);
    }

    static JsonNode system(JsonNode index, String name) {
        return index.path("systems").valueStream().filter(s -> s.path("name").asString().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no system " + name + " in " + index));
    }
}
