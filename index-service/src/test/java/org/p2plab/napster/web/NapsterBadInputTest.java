package org.p2plab.napster.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2plab.napster.LocalNapsterNodes;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Bad requests to the index and to the peer over a real socket get a problem (RFC 9457) with a
 * clear status and kind, and lose nothing: the shares registered before are still found.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class NapsterBadInputTest {

    static final LocalNapsterNodes NODES = new LocalNapsterNodes();
    static String index;
    static String peer;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        ConfigurableApplicationContext idx = NODES.index();
        index = LocalNapsterNodes.url(idx);
        Path dir = Files.createTempDirectory("napster-bad-input");
        Files.writeString(dir.resolve("kept file.txt"), "kept");
        peer = LocalNapsterNodes.url(NODES.peer(idx, "keeper", dir.toString()));
        token = NODES.json("POST", index + "/sessions", "{\"nick\":\"alice\",\"password\":\"secret\",\"dataPort\":6699}").get("token")
                .asString();
        NODES.json("PUT", index + "/users/alice/shares", "{\"files\":[{\"path\":\"C:\\\\mp3\\\\kept song.mp3\",\"size\":10}]}",
                "Authorization", "Bearer " + token);
        await().atMost(Duration.ofSeconds(10)).until(() -> NODES.json(index + "/search?q=kept").get("count").asInt() == 2);
    }

    @AfterAll
    static void stop() {
        NODES.close();
    }

    static void problem(HttpResponse<byte[]> r, int status, String kind) {
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        if (kind != null) {
            assertThat(LocalNapsterNodes.parse(r.body()).path("type").asString()).isEqualTo("urn:p2plab:problem:" + kind);
        }
    }

    static HttpResponse<byte[]> send(String method, String url, String json, String... headers) {
        return NODES.sendWith(method, url, json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                json == null ? null : "application/json", headers);
    }

    static String[] auth(String t) {
        return new String[] {"Authorization", "Bearer " + t};
    }

    @Test
    void badRegistrationsAndLogins() {
        problem(send("POST", index + "/users", "{\"nick\":\"bad nick\",\"password\":\"x\"}"), 400, "invalid-nick");
        problem(send("POST", index + "/users", "{\"nick\":\"alice\",\"password\":\"x\"}"), 409, "nick-taken");
        problem(send("POST", index + "/users", "{\"nick\":\"carol\",\"password\":\"x\",\"linkSpeed\":11}"), 400, null);
        problem(send("POST", index + "/users", "{\"nick\":\"carol\""), 400, null);
        problem(send("POST", index + "/users", "{\"nick\":\"carol\",\"password\":\"has space\"}"), 400, "invalid");
        problem(send("POST", index + "/sessions", "{\"nick\":\"alice\",\"password\":\"wrong\"}"), 401, "bad-password");
        problem(send("POST", index + "/sessions", "{\"nick\":\"alice\",\"password\":\"secret\",\"dataPort\":70000}"), 400, null);
        problem(send("POST", index + "/sessions", "{\"nick\":\"alice\",\"password\":\"secret\",\"newUser\":true}"), 409, "nick-taken");
        problem(NODES.get(index + "/sessions/nosuchtoken"), 401, "session-ended");
        problem(send("DELETE", index + "/sessions/nosuchtoken", null), 401, "session-ended");
        problem(NODES.get(index + "/sessions/" + token + "/events?wait=99"), 400, "invalid");
    }

    @Test
    void badSharesNeedTheirOwnersSession() {
        String one = "{\"path\":\"C:\\\\x.mp3\",\"size\":1}";
        problem(send("POST", index + "/users/alice/shares", one), 401, "session-required");
        problem(send("POST", index + "/users/alice/shares", one, auth("forged")), 401, "session-ended");
        problem(send("POST", index + "/users/bob/shares", one, auth(token)), 403, "not-your-session");
        problem(send("POST", index + "/users/alice/shares", "{\"path\":\"a \\\"quoted\\\" name\",\"size\":1}", auth(token)), 400, "invalid");
        problem(send("POST", index + "/users/alice/shares", "{\"path\":\"C:\\\\x.mp3\",\"size\":-1}", auth(token)), 400, null);
        problem(send("POST", index + "/users/alice/shares", "{\"size\":1}", auth(token)), 400, null);
        problem(send("PUT", index + "/users/alice/shares", "{\"files\":[{\"path\":\"\",\"size\":1}]}", auth(token)), 400, null);
        problem(send("DELETE", index + "/users/alice/shares?path=C:%5Cnever.mp3", null, auth(token)), 404, "not-shared");
        problem(NODES.get(index + "/users/nobody/shares"), 404, "offline");
        problem(NODES.get(index + "/users/nobody"), 404, "no-such-user");
        problem(NODES.get(index + "/users/alice/hotlist"), 401, "session-required");
        problem(send("PUT", index + "/users/alice/hotlist/bad%20nick", null, auth(token)), 400, "invalid-nick");
    }

    @Test
    void badSearchesAndDownloads() {
        problem(NODES.get(index + "/search?q=a%20-%20b"), 400, "no-words");
        problem(NODES.get(index + "/search"), 400, null);
        problem(NODES.get(index + "/search?q=kept&max=-1"), 400, "invalid");
        problem(NODES.get(index + "/search?q=kept&minBitrate=200&maxBitrate=100"), 400, "invalid");
        problem(NODES.get(index + "/search?q=kept&minSize=abc"), 400, null);
        problem(send("POST", index + "/downloads", "{\"nick\":\"keeper\",\"path\":\"x\"}"), 401, "session-required");
        problem(send("POST", index + "/downloads", "{\"nick\":\"nobody\",\"path\":\"x\"}", auth(token)), 404, "offline");
        problem(send("POST", index + "/downloads", "{\"nick\":\"keeper\",\"path\":\"not shared\"}", auth(token)), 404, "not-shared");
        problem(send("POST", index + "/downloads", "{\"nick\":\"keeper\"}", auth(token)), 400, null);
        problem(send("POST", index + "/sessions/" + token + "/accepts", "{\"nick\":\"keeper\",\"path\":\"not mine\"}"), 404, "not-shared");
        problem(send("POST", index + "/users/nobody/ping", null, auth(token)), 404, "offline");
    }

    @Test
    void badPeerRequests() {
        problem(send("POST", peer + "/client/search", "{\"query\":\"a b\"}"), 400, "no-words");
        problem(send("POST", peer + "/client/search", "{\"query\":\"kept\",\"max\":1000}"), 400, null);
        problem(send("POST", peer + "/client/downloads", "{\"nick\":\"alice\",\"path\":\"C:\\\\nothing.mp3\"}"), 404, "not-shared");
        problem(send("POST", peer + "/client/downloads", "{\"path\":\"x\"}"), 400, null);
        problem(send("POST", peer + "/client/downloads", "{\"nick\":\"\\\"\",\"path\":\"x\"}"), 400, null);
        problem(send("POST", peer + "/client/search", "{\"query\":\"" + "x".repeat(5000) + "\"}"), 400, null);
        assertThat(NODES.json(peer + "/client").get("connected").asBoolean()).as("the peer kept its connection to the index").isTrue();
        problem(NODES.get(peer + "/client/downloads/999"), 404, "unknown-download");
        problem(NODES.send("POST", peer + "/client/shares?name=..%2Fescape.txt", new byte[1], "application/octet-stream"), 400,
                "invalid-name");
        problem(NODES.send("POST", peer + "/client/shares", new byte[1], "application/octet-stream"), 400, "missing-name");
        problem(NODES.get(peer + "/stats"), 404, null); // the index's API is not on a peer
        problem(NODES.get(index + "/client"), 404, null); // nor the peer's on the index
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // after every bad request
    void nothingWasLost() {
        assertThat(NODES.json(index + "/search?q=kept").get("count").asInt()).isEqualTo(2);
        assertThat(NODES.json(index + "/users/alice").get("online").asBoolean()).isTrue();
        assertThat(NODES.json(index + "/users/alice/shares").get("count").asInt()).isEqualTo(1);
    }
}
