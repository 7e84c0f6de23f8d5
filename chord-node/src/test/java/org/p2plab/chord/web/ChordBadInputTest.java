package org.p2plab.chord.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2plab.chord.LocalChordNodes;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Bad input to a real node: every request gets a clear 4xx (or 503) problem, never a 500, and
 * nothing already stored is lost.
 */
class ChordBadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalChordNodes nodes;
    private static ConfigurableApplicationContext node;
    private static String base;

    @BeforeAll
    static void start() {
        nodes = new LocalChordNodes();
        node = nodes.start(null);
        base = LocalChordNodes.url(node);
        HttpResponse<byte[]> put = nodes.send("PUT", base + "/dht/precious", bytes("keep me"), "text/plain");
        assertThat(put.statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        // nothing stored was lost by any of the bad requests
        HttpResponse<byte[]> got = nodes.get(base + "/dht/precious");
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("keep me");
        nodes.close();
    }

    @Test
    void keysThatNeedEscapingAreStoredAndTheLocationIsTheRequestUrl() {
        HttpResponse<byte[]> put = nodes.send("PUT", base + "/dht/caf%C3%A9%20au%20lait?x=1", bytes("v"), "text/plain");
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("Location")).hasValue(base + "/dht/caf%C3%A9%20au%20lait");
        HttpResponse<byte[]> got = nodes.get(base + "/dht/caf%C3%A9%20au%20lait");
        assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("v");
    }

    @Test
    void emptyKey() {
        assertProblem(nodes.send("PUT", base + "/dht/", bytes("x"), "text/plain"), 400, "invalid-key");
        assertProblem(nodes.get(base + "/dht/"), 400, "invalid-key");
        assertProblem(nodes.get(base + "/lookup/"), 400, "invalid-key");
    }

    @Test
    void tenKilobyteKey() {
        String key = "k".repeat(10 * 1024);
        JsonNode p = assertProblem(nodes.send("PUT", base + "/dht/" + key, bytes("x"), "text/plain"), 400, "invalid-key");
        assertThat(p.get("detail").asText()).contains("10240 bytes").contains("1024");
        assertProblem(nodes.get(base + "/dht/" + key), 400, "invalid-key");
    }

    @Test
    void brokenPercentEncodingOverARealSocket() throws IOException {
        for (String path : new String[] {"/dht/%zz", "/dht/abc%", "/dht/%C3%28"}) {
            String response = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(response).as(path).startsWith("HTTP/1.1 400");
            assertThat(response).as(path).containsIgnoringCase("application/problem+json");
            assertThat(response).as(path).doesNotContain("\"status\":500");
        }
    }

    @Test
    void oversizeValueIsRefusedAndTheOldValueKept() {
        byte[] big = new byte[1024 * 1024 + 1];
        assertProblem(nodes.send("PUT", base + "/dht/precious", big, "application/octet-stream"), 413, "payload-too-large");
        assertThat(new String(nodes.get(base + "/dht/precious").body(), StandardCharsets.UTF_8)).isEqualTo("keep me");
        // exactly the limit is fine
        assertThat(nodes.send("PUT", base + "/dht/big", new byte[1024 * 1024], "application/octet-stream").statusCode())
                .isEqualTo(201);
    }

    @Test
    void unknownKeyIs404() {
        JsonNode p = assertProblem(nodes.get(base + "/dht/never-stored"), 404, "key-not-found");
        assertThat(p.get("owner").get("address").asText()).isEqualTo(base);
        assertProblem(nodes.send("DELETE", base + "/dht/never-stored", null, null), 404, "key-not-found");
    }

    @Test
    void unreachableBootstrapIs503WithRetryAfter() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        HttpResponse<byte[]> r = nodes.send("POST", base + "/ring/join",
                bytes("{\"bootstrap\":\"http://127.0.0.1:" + closedPort + "\"}"), "application/json");
        assertProblem(r, 503, "peer-unavailable");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void joiningItselfIs400() {
        assertProblem(nodes.send("POST", base + "/ring/join", bytes("{\"bootstrap\":\"" + base + "\"}"),
                "application/json"), 400, "bad-request");
    }

    @Test
    void malformedJoinRequests() {
        assertProblem(nodes.send("POST", base + "/ring/join", bytes("{\"bootstrap\": "), "application/json"), 400,
                "malformed-body");
        assertProblem(nodes.send("POST", base + "/ring/join", bytes("{}"), "application/json"), 400, "missing-parameter");
        assertProblem(nodes.send("POST", base + "/ring/join", bytes("{\"bootstrap\":\"not a url\"}"), "application/json"),
                400, "invalid-bootstrap");
        assertProblem(nodes.send("POST", base + "/ring/join", bytes("{\"bootstrap\":\"ftp://x\"}"), "application/json"),
                400, "invalid-bootstrap");
    }

    @Test
    void badPeerRequestsAre400() {
        assertProblem(nodes.send("POST", base + "/peer/find-successor", bytes("{\"id\":\"xyz\"}"), "application/json"),
                400, "validation");
        assertProblem(nodes.send("POST", base + "/peer/find-successor", bytes("[1,2"), "application/json"), 400,
                "malformed-body");
    }

    @Test
    void badRingParameter() {
        assertProblem(nodes.get(base + "/ring?keyLimit=abc"), 400, "invalid-parameter");
        assertProblem(nodes.get(base + "/ring?keyLimit=-1"), 400, "invalid-parameter");
    }

    private static JsonNode assertProblem(HttpResponse<byte[]> response, int status, String kind) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("type").asText()).isEqualTo("urn:p2plab:problem:" + kind);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("detail").asText()).isNotBlank();
        return body;
    }

    private static String raw(String request) throws IOException {
        int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
