package org.p2plab.publius.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2plab.publius.LocalPubliusServers;
import org.p2plab.publius.Multipart;
import org.p2plab.support.test.LocalNodes;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Bad input on the client's user API and the servers' peer API: a clear RFC 9457 problem (4xx), and nothing lost. */
class PubliusBadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] DOC = "kept safe".getBytes(StandardCharsets.UTF_8);
    private static final String NAMES3 = "00000000000000ff.00000000000000fe.00000000000000fd";

    @TempDir
    static Path data;
    private static LocalPubliusServers nodes;
    private static List<ConfigurableApplicationContext> servers;
    private static String client;
    private static String server;
    private static String url;

    @BeforeAll
    static void threeServersAndAClient() {
        nodes = new LocalPubliusServers(data);
        servers = nodes.servers(3, "p2plab.publius.max-document-size=1KB", "p2plab.publius.max-stored-size=4KB");
        client = LocalNodes.url(nodes.client(servers, "p2plab.publius.max-document-size=1KB"));
        server = LocalNodes.url(servers.getFirst());
        HttpResponse<byte[]> r = nodes.send("POST", client + "/publish?n=3&k=2", DOC, "text/plain");
        assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
        url = JSON.readTree(r.body()).path("url").asText();
    }

    @AfterAll
    static void stop() {
        assertThat(nodes.get(client + "/retrieve?url=" + enc(url)).body()).as("the published document survives").isEqualTo(DOC);
        nodes.close();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static JsonNode problem(HttpResponse<byte[]> r, int status, String kind) {
        assertThat(r.statusCode()).as(text(r)).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("type").asText()).isEqualTo("urn:p2plab:problem:" + kind);
        assertThat(p.path("detail").asText()).isNotBlank();
        return p;
    }

    @Test
    void malformedUrls() {
        for (String bad : List.of("", "http://example.org/", "publius://1/k3n10/text%2Fplain/", "publius://1/k2n3/text%2Fplain/zz",
                "publius://9/k2n3/text%2Fplain/" + NAMES3, "publius://1/k4n3/text%2Fplain/" + NAMES3, "x".repeat(5000))) {
            problem(nodes.get(client + "/retrieve?url=" + enc(bad)), 400, "malformed-url");
            problem(nodes.get(client + "/inspect?url=" + enc(bad)), 400, "malformed-url");
        }
        problem(nodes.get(client + "/retrieve"), 400, "missing-parameter");
        problem(nodes.send("POST", client + "/delete", ("{\"url\":\"publius://nope\",\"password\":\"x\"}").getBytes(StandardCharsets.UTF_8),
                "application/json"), 400, "malformed-url");
    }

    @Test
    void unknownNames() {
        JsonNode p = problem(nodes.get(client + "/retrieve?url=" + enc("publius://1/k2n3/text%2Fplain/" + NAMES3)), 404, "no-such-document");
        assertThat(p.path("pieces")).hasSize(3);
        problem(nodes.send("POST", client + "/delete", ("{\"url\":\"publius://1/k2n3/text%2Fplain/" + NAMES3 + "\",\"password\":\"x\"}")
                .getBytes(StandardCharsets.UTF_8), "application/json"), 404, "no-such-document");
        problem(nodes.get(server + "/peer/publius/00000000000000ff"), 404, "no-such-piece");
    }

    @Test
    void impossibleParameters() {
        assertThat(problem(nodes.send("POST", client + "/publish?n=2&k=3", DOC, "text/plain"), 400, "invalid-request")
                .path("detail").asText()).contains("k must not exceed n");
        assertThat(problem(nodes.send("POST", client + "/publish?n=4&k=2", DOC, "text/plain"), 400, "invalid-request")
                .path("detail").asText()).contains("m = 3");
        problem(nodes.send("POST", client + "/publish?n=3&k=1", DOC, "text/plain"), 400, "invalid-request");
        problem(nodes.send("POST", client + "/publish?n=3&k=2&d=4", DOC, "text/plain"), 400, "invalid-request");
        problem(nodes.send("POST", client + "/publish?n=three", DOC, "text/plain"), 400, "invalid-parameter");
        problem(nodes.send("POST", client + "/publish", DOC, "no-slash"), 415, "unsupported-media-type");
        problem(nodes.send("POST", client + "/delete", ("{\"url\":\"" + "x".repeat(9000) + "\",\"password\":\"x\"}")
                .getBytes(StandardCharsets.UTF_8), "application/json"), 400, "malformed-url");
    }

    @Test
    void emptyAndOversizeDocuments() {
        problem(nodes.send("POST", client + "/publish", new byte[0], "text/plain"), 400, "invalid-request");
        problem(nodes.send("POST", client + "/publish", new byte[2000], "application/octet-stream"), 413, "payload-too-large");
        Multipart big = new Multipart().file("file", "big.bin", "application/octet-stream", new byte[2000]);
        problem(nodes.send("POST", client + "/publish", big.body(), big.contentType()), 413, "document-too-large");
        problem(nodes.send("POST", client + "/publish", "a=b".getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded"), 415, "unsupported-media-type");
        Multipart noFile = new Multipart().field("password", "x");
        problem(nodes.send("POST", client + "/publish", noFile.body(), noFile.contentType()), 400, "missing-parameter");
    }

    @Test
    void wrongPasswordsAndNoUpdate() {
        problem(nodes.send("POST", client + "/delete", ("{\"url\":\"" + url + "\",\"password\":\"wrong\"}")
                .getBytes(StandardCharsets.UTF_8), "application/json"), 403, "wrong-password");
        problem(nodes.send("POST", client + "/delete", ("{\"url\":\"" + url + "\"}").getBytes(StandardCharsets.UTF_8),
                "application/json"), 400, "validation");
        problem(nodes.send("POST", client + "/delete", "{not json".getBytes(StandardCharsets.UTF_8), "application/json"), 400, "malformed-body");
        Multipart update = new Multipart().field("url", url).field("password", "wrong").file("file", "v2.txt", "text/plain", DOC);
        problem(nodes.send("POST", client + "/update", update.body(), update.contentType()), 403, "wrong-password");

        HttpResponse<byte[]> frozen = nodes.send("POST", client + "/publish?n=3&k=2&noUpdate=true", DOC, "text/plain");
        JsonNode f = JSON.readTree(frozen.body());
        Multipart u = new Multipart().field("url", f.path("url").asText()).field("password", f.path("password").asText())
                .file("file", "v2.txt", "text/plain", DOC);
        problem(nodes.send("POST", client + "/update", u.body(), u.contentType()), 409, "no-update");
    }

    @Test
    void thePeerApiChecksEverything() {
        String hash = "a".repeat(64);
        problem(nodes.send("PUT", server + "/peer/publius/00000000000000aa", DOC, "application/octet-stream"), 400, "missing-parameter");
        problem(put("NOT-A-NAME", DOC, "AQID", hash), 400, "invalid-name");
        HttpResponse<byte[]> r = nodes.send("GET", server + "/peer/publius/xyz", null, null);
        problem(r, 400, "invalid-name");
        // a store with a bad share or hash
        problem(put("00000000000000aa", DOC, "!!", hash), 400, "invalid-piece");
        problem(put("00000000000000aa", DOC, "AQID", "short"), 400, "invalid-piece");
        // over the document limit (1KB + the encryption overhead), then over the storage limit (4KB)
        problem(put("00000000000000aa", new byte[1100], "AQID", hash), 413, "payload-too-large");
        // fill the server: every piece that fits is stored, the first that does not is refused with 507
        int filled = 0;
        while (true) {
            JsonNode status = JSON.readTree(nodes.get(server + "/peer/status").body());
            String name = "00000000000000b" + filled;
            if (status.path("storedBytes").asLong() + 1000 > status.path("maxStoredBytes").asLong()) {
                problem(put(name, new byte[1000], "AQID", hash), 507, "storage-full");
                break;
            }
            assertThat(put(name, new byte[1000], "AQID", hash).statusCode()).isEqualTo(201);
            filled++;
        }
        assertThat(filled).isPositive();
        problem(put("00000000000000b0", new byte[10], "AQID", hash), 409, "piece-exists");
        // delete and update need the hash
        problem(nodes.send("DELETE", server + "/peer/publius/00000000000000b0", null, null), 400, "missing-parameter");
        r = nodes.send("POST", server + "/peer/publius/00000000000000b0/update",
                ("{\"passwordHash\":\"" + "b".repeat(64) + "\",\"url\":\"" + url + "\"}").getBytes(StandardCharsets.UTF_8), "application/json");
        problem(r, 403, "wrong-password");
        r = nodes.send("POST", server + "/peer/publius/00000000000000b0/update",
                ("{\"passwordHash\":\"" + hash + "\",\"url\":\"not a url\"}").getBytes(StandardCharsets.UTF_8), "application/json");
        problem(r, 400, "invalid-piece");
        for (int i = 0; i < filled; i++) {
            assertThat(nodes.sendWith("DELETE", server + "/peer/publius/00000000000000b" + i, null, null,
                    "Publius-Password-Hash", hash).statusCode()).isEqualTo(204);
        }
    }

    private static HttpResponse<byte[]> put(String name, byte[] body, String share, String hash) {
        return nodes.sendWith("PUT", server + "/peer/publius/" + name, body, "application/octet-stream",
                "Publius-Share", share, "Publius-Password-Hash", hash);
    }
}
