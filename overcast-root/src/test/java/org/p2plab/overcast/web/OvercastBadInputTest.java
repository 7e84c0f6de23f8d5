package org.p2plab.overcast.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2plab.overcast.LocalOvercastNodes;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Bad requests over a real socket get a problem (RFC 9457) with a clear status and kind, and
 * lose nothing: certificates with a forged older sequence number do not change the root's view,
 * and what was published is still served.
 */
class OvercastBadInputTest {

    static final LocalOvercastNodes NODES = new LocalOvercastNodes("20s");
    static String root;
    static String node;
    static final byte[] CONTENT = "the lecture".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void start() {
        ConfigurableApplicationContext r = NODES.root("4MB", "p2plab.overcast.max-content-size=1KB");
        root = LocalOvercastNodes.url(r);
        node = LocalOvercastNodes.url(NODES.node(r, "4MB"));
        assertThat(NODES.send("POST", root + "/groups/lecture/content?name=intro.txt", CONTENT, "text/plain").statusCode())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(NODES.json(root + "/tree").path("alive").asInt()).isEqualTo(1));
    }

    @AfterAll
    static void stop() {
        NODES.close();
    }

    static void problem(HttpResponse<byte[]> r, int status, String kind) {
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        if (kind != null) {
            assertThat(LocalOvercastNodes.parse(r.body()).path("type").asString()).isEqualTo("urn:p2plab:problem:" + kind);
        }
    }

    static HttpResponse<byte[]> post(String url, String json) {
        return NODES.send("POST", url, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    @Test
    void badPublishesAreRefused() {
        problem(NODES.send("POST", root + "/groups/bad%20group/content?name=a", CONTENT, "text/plain"), 400, "invalid-name");
        problem(NODES.send("POST", root + "/groups/lecture/content?name=..", CONTENT, "text/plain"), 400, "invalid-name");
        problem(NODES.send("POST", root + "/groups/lecture/content", CONTENT, "text/plain"), 400, null);
        problem(NODES.send("POST", root + "/groups/lecture/content?name=intro.txt", "other".getBytes(), "text/plain"), 409,
                "content-exists");
        problem(NODES.send("POST", root + "/groups/lecture/content?name=big.bin", new byte[4096], "application/octet-stream"),
                413, null);
        problem(NODES.send("POST", node + "/groups/lecture/content?name=x", CONTENT, "text/plain"), 404, "role-disabled");
    }

    @Test
    void badJoinsContentAndQueriesAreRefused() {
        problem(NODES.get(root + "/groups/nothing/join"), 404, "unknown-group");
        problem(NODES.get(root + "/groups/lecture/join?name=missing.txt"), 404, "unknown-content");
        problem(NODES.get(node + "/groups/lecture/join"), 404, "role-disabled");
        problem(NODES.get(node + "/groups/lecture/content/missing.txt"), 404, "unknown-content");
        problem(NODES.get(root + "/groups/bad%20group"), 400, "invalid-name");
        problem(NODES.get(root + "/groups/nothing"), 404, "unknown-group");
        problem(NODES.sendWith("GET", root + "/groups/lecture/content/intro.txt", null, null, "Range", "bytes=500-"), 416,
                "range-not-satisfiable");
        problem(NODES.get(root + "/certificates?since=-1"), 400, "invalid-since");
        problem(NODES.get(root + "/certificates?since=abc"), 400, null);
        problem(NODES.get(root + "/certificates?limit=0"), 400, "invalid-limit");
        problem(NODES.send("PUT", node + "/serving-rate", "{\"bytesPerSecond\": -5}".getBytes(), "application/json"), 400, null);
        problem(NODES.send("PUT", node + "/serving-rate", "{}".getBytes(), "application/json"), 400, null);
        problem(NODES.send("PUT", node + "/serving-rate", "fast".getBytes(), "application/json"), 400, null);
        HttpResponse<byte[]> range = NODES.sendWith("GET", root + "/groups/lecture/content/intro.txt", null, null, "Range", "bytes=4-");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(new String(range.body(), StandardCharsets.UTF_8)).isEqualTo("lecture");
    }

    @Test
    void badCheckInsAreRefusedAndForgedOlderCertificatesChangeNothing() {
        problem(post(root + "/peer/check-in", "{not json"), 400, null);
        problem(post(root + "/peer/check-in", "{\"node\": \"not a url\", \"seq\": 1, \"certificates\": []}"), 400, "invalid-url");
        problem(post(root + "/peer/check-in", "{\"node\": \"" + root + "\", \"seq\": 1, \"certificates\": []}"), 400, "self-check-in");
        problem(post(root + "/peer/check-in", "{\"node\": \"http://127.0.0.1:1\", \"seq\": -1, \"certificates\": []}"), 400, null);
        problem(post(root + "/peer/check-in", "{\"node\": \"http://127.0.0.1:1\", \"seq\": 1}"), 400, null);
        problem(post(root + "/peer/check-in", "{\"node\": \"http://127.0.0.1:1\", \"seq\": 1, \"certificates\": "
                + "[{\"type\": \"LIFE\", \"node\": \"http://127.0.0.1:2\", \"parent\": \"http://127.0.0.1:1\", \"seq\": 1}]}"), 400, null);
        problem(post(root + "/peer/check-in", "{\"node\": \"http://127.0.0.1:1\", \"seq\": 1, \"certificates\": "
                + "[{\"type\": \"DEATH\", \"node\": \"x\", \"parent\": \"http://127.0.0.1:1\", \"seq\": 1}]}"), 400, "invalid-url");

        JsonNode before = entry(NODES.json(root + "/tree"), node);
        long seq = before.path("seq").asLong();
        // a forger (itself only ever a leaf that soon dies) claims the node died and was born under it, with older numbers
        String forged = "{\"node\": \"http://127.0.0.1:9\", \"seq\": 1, \"certificates\": ["
                + "{\"type\": \"DEATH\", \"node\": \"" + node + "\", \"parent\": \"" + root + "\", \"seq\": " + (seq - 1) + "},"
                + "{\"type\": \"BIRTH\", \"node\": \"" + node + "\", \"parent\": \"http://127.0.0.1:9\", \"seq\": " + (seq - 1) + "}]}";
        assertThat(post(root + "/peer/check-in", forged).statusCode()).isEqualTo(200);
        JsonNode after = entry(NODES.json(root + "/tree"), node);
        assertThat(after.path("parent").asString()).isEqualTo(root);
        assertThat(after.path("status").asString()).isEqualTo("alive");
        assertThat(after.path("seq").asLong()).isEqualTo(seq);
        assertThat(after.path("lastCertificate")).isEqualTo(before.path("lastCertificate"));

        // nothing lost: the content is still served, at the root and the node
        assertThat(NODES.get(root + "/groups/lecture/content/intro.txt").body()).isEqualTo(CONTENT);
        assertThat(NODES.get(node + "/groups/lecture/content/intro.txt").body()).isEqualTo(CONTENT);
    }

    static JsonNode entry(JsonNode tree, String address) {
        for (JsonNode n : tree.path("nodes")) {
            if (n.path("address").asString().equals(address)) {
                return n;
            }
        }
        throw new AssertionError(address + " is not in " + tree);
    }
}
