package org.p2plab.can.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2plab.can.LocalCanNodes;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Bad input on the user and peer APIs: a clear RFC 9457 problem (4xx), and nothing lost. */
class CanBadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalCanNodes nodes = new LocalCanNodes();
    private static String a;
    private static String b;

    @BeforeAll
    static void twoNodes() {
        ConfigurableApplicationContext first = nodes.start(null, "p2plab.can.max-value-size=1KB");
        ConfigurableApplicationContext second = nodes.start(LocalCanNodes.url(first), "p2plab.can.max-value-size=1KB");
        a = LocalCanNodes.url(first);
        b = LocalCanNodes.url(second);
        await().atMost(Duration.ofSeconds(20)).until(() -> LocalCanNodes.node(second).isMember());
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    private static JsonNode problem(HttpResponse<byte[]> r, int status, String kind) {
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("type").asText()).isEqualTo("urn:p2plab:problem:" + kind);
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("detail").asText()).isNotBlank();
        return p;
    }

    private static HttpResponse<byte[]> json(String method, String url, String body) {
        return nodes.send(method, url, body == null ? null : body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    @Test
    void keysMustBeOneTo1024Bytes() {
        problem(nodes.get(a + "/dht/"), 400, "invalid-key");
        problem(nodes.get(a + "/dht/" + "x".repeat(1025)), 400, "invalid-key");
        problem(nodes.get(a + "/lookup/" + "x".repeat(1025)), 400, "invalid-key");
    }

    @Test
    void valuesAboveTheLimitAre413AndNothingIsStored() {
        problem(nodes.send("PUT", a + "/dht/big", new byte[2048], "application/octet-stream"), 413, "payload-too-large");
        problem(nodes.get(b + "/dht/big"), 404, "key-not-found");
    }

    @Test
    void aMissingKeyIs404WithItsOwner() {
        JsonNode p = problem(nodes.get(a + "/dht/never-stored"), 404, "key-not-found");
        assertThat(p.path("owner").asText()).isIn(a, b);
        problem(nodes.send("DELETE", b + "/dht/never-stored", null, null), 404, "key-not-found");
    }

    @Test
    void spaceLimitsAndJoinsAreChecked() {
        problem(nodes.get(a + "/space?limit=0"), 400, "invalid-parameter");
        problem(nodes.get(a + "/space?limit=5000"), 400, "invalid-parameter");
        problem(nodes.get(a + "/space?limit=many"), 400, "invalid-parameter");
        problem(json("POST", a + "/space/join", "{}"), 400, "missing-parameter");
        problem(json("POST", a + "/space/join", "{\"bootstrap\": \"ftp://x\"}"), 400, "invalid-bootstrap");
        problem(json("POST", a + "/space/join", "{\"bootstrap\": "), 400, "malformed-body");
        // a member with neighbours must leave first
        problem(json("POST", a + "/space/join", "{\"bootstrap\": \"" + b + "\"}"), 409, "member");
    }

    @Test
    void peerApiRejectsImpossibleZonesAndPoints() {
        // a zone the splitting order cannot produce
        problem(json("POST", a + "/peer/update", "{\"from\": {\"address\": \"http://127.0.0.1:1\"}, \"zones\": [{\"lo\": [0, 0], "
                + "\"hi\": [3, 1152921504606846976]}], \"neighbours\": []}"), 400, "bad-request");
        // a point of the wrong dimension count, and one outside the space
        problem(json("POST", a + "/peer/step", "{\"point\": {\"coords\": [1, 2, 3]}}"), 400, "bad-request");
        problem(json("POST", a + "/peer/step", "{\"point\": {\"coords\": [-1, 2]}}"), 400, "bad-request");
        problem(json("POST", a + "/peer/step", "{}"), 400, "validation");
        // the node still works
        assertThat(nodes.send("PUT", a + "/dht/still-fine", "v".getBytes(StandardCharsets.UTF_8), "text/plain").statusCode()).isEqualTo(201);
        assertThat(nodes.get(b + "/dht/still-fine").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownEndpointsAndMethods() {
        problem(nodes.get(a + "/nope"), 404, "not-found");
        problem(nodes.send("POST", a + "/zone", null, null), 405, "method-not-allowed");
    }
}
