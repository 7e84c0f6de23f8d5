package org.p2plab.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.p2plab.gateway.support.EchoUpstream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of stub upstreams that echo what reached them: each route reaches its
 * upstream with the prefix stripped (path and query byte for byte, body and content type
 * untouched), per-node routes reach the right node, the X-Forwarded-* headers describe the
 * gateway, and the upstream's status and headers come back unchanged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayRoutingTest {

    static final EchoUpstream CHORD = new EchoUpstream("chord");
    static final EchoUpstream CHORD_NODE_0 = new EchoUpstream("chord-node-0");
    static final EchoUpstream CHORD_NODE_1 = new EchoUpstream("chord-node-1");
    static final EchoUpstream CAN = new EchoUpstream("can");
    static final EchoUpstream NAPSTER = new EchoUpstream("napster");

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    static final JsonMapper JSON = JsonMapper.shared();

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("p2plab.gateway.systems.chord.url", CHORD::url);
        registry.add("p2plab.gateway.systems.chord.nodes[0]", CHORD_NODE_0::url);
        registry.add("p2plab.gateway.systems.chord.nodes[1]", CHORD_NODE_1::url);
        registry.add("p2plab.gateway.systems.can.enabled", () -> "true");
        registry.add("p2plab.gateway.systems.can.url", CAN::url);
        registry.add("p2plab.gateway.systems.napster.enabled", () -> "true");
        registry.add("p2plab.gateway.systems.napster.url", NAPSTER::url);
        registry.add("p2plab.gateway.systems.napster.node-template", () -> NAPSTER.url() + "/n{i}");
        registry.add("p2plab.gateway.systems.napster.node-count", () -> "3");
    }

    @AfterAll
    static void stop() {
        for (EchoUpstream u : new EchoUpstream[] {CHORD, CHORD_NODE_0, CHORD_NODE_1, CAN, NAPSTER}) {
            u.close();
        }
    }

    @Value("${local.server.port}")
    int port;

    HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse("<missing>");
    }

    @Test
    void chordPrefixIsStrippedAndTheFormBodyPassesUntouched() throws Exception {
        HttpResponse<String> r = send("PUT", "/chord/dht/hello", "application/x-www-form-urlencoded", "world&a=b c");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "X-Echo-Stub")).isEqualTo("chord");
        assertThat(header(r, "X-Echo-Method")).isEqualTo("PUT");
        assertThat(header(r, "X-Echo-Path")).isEqualTo("/dht/hello");
        assertThat(header(r, "X-Echo-Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(r.body()).isEqualTo("world&a=b c");
        // the upstream's own headers come back
        assertThat(header(r, "X-P2P-Hops")).isEqualTo("3");
    }

    @Test
    void rawPathAndQueryAreForwardedByteForByte() throws Exception {
        HttpResponse<String> r = send("GET", "/chord/dht/caf%C3%A9%20au%20lait/x//y?q=a%20b&q=%2B&flag", null, null);

        assertThat(header(r, "X-Echo-Path")).isEqualTo("/dht/caf%C3%A9%20au%20lait/x//y");
        assertThat(header(r, "X-Echo-Query")).isEqualTo("q=a%20b&q=%2B&flag");
    }

    @Test
    void thePrefixAloneReachesTheUpstreamRoot() throws Exception {
        assertThat(header(send("GET", "/chord", null, null), "X-Echo-Path")).isEqualTo("/");
        assertThat(header(send("GET", "/chord/", null, null), "X-Echo-Path")).isEqualTo("/");
    }

    @Test
    void eachSystemHasItsOwnRoute() throws Exception {
        HttpResponse<String> can = send("POST", "/can/insert?k=v", "application/json", "{\"x\":1}");
        assertThat(header(can, "X-Echo-Stub")).isEqualTo("can");
        assertThat(header(can, "X-Echo-Path")).isEqualTo("/insert");
        assertThat(header(can, "X-Echo-Query")).isEqualTo("k=v");
        assertThat(can.body()).isEqualTo("{\"x\":1}");

        assertThat(header(send("DELETE", "/napster/files/1", null, null), "X-Echo-Stub")).isEqualTo("napster");
        // a prefix is a whole path segment: /chordx is not /chord
        assertThat(send("GET", "/chordx/dht/a", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void perNodeRoutesReachTheNumberedNode() throws Exception {
        HttpResponse<String> n0 = send("GET", "/chord/nodes/0/ring", null, null);
        HttpResponse<String> n1 = send("GET", "/chord/nodes/1/dht/k?x=1", null, null);

        assertThat(header(n0, "X-Echo-Stub")).isEqualTo("chord-node-0");
        assertThat(header(n0, "X-Echo-Path")).isEqualTo("/ring");
        assertThat(header(n1, "X-Echo-Stub")).isEqualTo("chord-node-1");
        assertThat(header(n1, "X-Echo-Path")).isEqualTo("/dht/k");
        assertThat(header(n1, "X-Echo-Query")).isEqualTo("x=1");
        assertThat(header(n1, "X-Echo-X-Forwarded-Prefix")).isEqualTo("/chord/nodes/1");

        // a template: node i is the template with {i} replaced
        HttpResponse<String> t = send("GET", "/napster/nodes/2/search", null, null);
        assertThat(header(t, "X-Echo-Stub")).isEqualTo("napster");
        assertThat(header(t, "X-Echo-Path")).isEqualTo("/n2/search");
    }

    @Test
    void aNodeThatIsNotConfiguredIsA404Problem() throws Exception {
        for (String path : new String[] {"/chord/nodes/2/ring", "/chord/nodes/x/ring", "/napster/nodes/3/search"}) {
            HttpResponse<String> r = send("GET", path, null, null);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(header(r, "Content-Type")).startsWith("application/problem+json");
            JsonNode p = JSON.readTree(r.body());
            assertThat(p.path("type").asString()).isEqualTo("urn:p2plab:problem:no-such-node");
            assertThat(p.path("instance").asString()).isEqualTo(path);
        }
        JsonNode p = JSON.readTree(send("GET", "/chord/nodes/2/ring", null, null).body());
        assertThat(p.path("nodes").asInt()).isEqualTo(2);
        assertThat(p.path("detail").asString()).contains("0 to 1");
    }

    @Test
    void forwardedHeadersDescribeTheGatewaySoTheServiceBuildsGatewayUrls() throws Exception {
        HttpResponse<String> r = send("GET", "/chord/v3/api-docs", null, null);

        assertThat(header(r, "X-Echo-X-Forwarded-Host")).isEqualTo("127.0.0.1:" + port);
        assertThat(header(r, "X-Echo-X-Forwarded-Proto")).isEqualTo("http");
        assertThat(header(r, "X-Echo-X-Forwarded-Port")).isEqualTo(Integer.toString(port));
        assertThat(header(r, "X-Echo-X-Forwarded-Prefix")).isEqualTo("/chord");
        assertThat(header(r, "X-Echo-X-Forwarded-For")).contains("127.0.0.1");
        // no RFC 7239 header: the services would prefer it and its host is not the gateway's
        assertThat(header(r, "X-Echo-Forwarded")).isEqualTo("<none>");
        // the upstream's own Host, not the client's
        assertThat(header(r, "X-Echo-Host")).isEqualTo("127.0.0.1:" + CHORD.port());
    }

    @Test
    void upstreamStatusesAndRedirectsPassThrough() throws Exception {
        HttpResponse<String> notFound = send("GET", "/chord/status/404", null, null);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).isEqualTo("status 404");

        HttpResponse<String> unavailable = send("GET", "/chord/status/503", null, null);
        assertThat(unavailable.statusCode()).isEqualTo(503);

        HttpResponse<String> redirect = send("GET", "/chord/redirect", null, null);
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(header(redirect, "Location")).isEqualTo("/elsewhere");
    }

    @Test
    void everyRoutedRequestIsTimedPerRoute() throws Exception {
        send("GET", "/can/metric-probe", null, null);
        send("GET", "/chord/nodes/9/x", null, null);

        String prometheus = send("GET", "/actuator/prometheus", null, null).body();
        assertThat(prometheus).containsPattern("gateway_requests_seconds_count\\{[^}]*routeId=\"can\"[^}]*status=\"200\"");
        assertThat(prometheus).containsPattern("gateway_requests_seconds_count\\{[^}]*routeId=\"chord-nodes\"[^}]*status=\"404\"");
        assertThat(prometheus).contains("gateway_requests_seconds_bucket");
    }
}
