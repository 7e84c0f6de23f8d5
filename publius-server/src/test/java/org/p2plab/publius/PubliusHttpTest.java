package org.p2plab.publius;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.p2plab.publius.protocol.PubliusName;
import org.p2plab.support.test.LocalNodes;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The evidence over real HTTP: m = 10 publius servers and a client on loopback in this
 * JVM, n = 10, k = 3. Publish and retrieve; corrupted files on 7 servers; a wrong password;
 * update; forged update files; 7 servers stopped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PubliusHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PAGE = "<html><body><h1>Publius</h1><a href=\"#top\">top</a></body></html>"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path data;
    private static LocalPubliusServers nodes;
    private static List<ConfigurableApplicationContext> servers;
    private static String client;

    @BeforeAll
    static void tenServersAndAClient() {
        nodes = new LocalPubliusServers(data);
        servers = nodes.servers(10);
        client = LocalNodes.url(nodes.client(servers));
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    /** A published document: its URL, password, and which server holds each piece. */
    record Doc(String url, String password, List<Piece> pieces) {
    }

    record Piece(String name, String server) {
    }

    private static Doc publish(byte[] content, String type, String query) {
        HttpResponse<byte[]> r = nodes.send("POST", client + "/publish?n=10&k=3" + query, content, type);
        assertThat(r.statusCode()).as(body(r)).isEqualTo(201);
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.path("stored").asInt()).isEqualTo(10);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith(client + "/retrieve?url=publius"));
        List<Piece> pieces = new ArrayList<>();
        j.path("placements").forEach(p -> pieces.add(new Piece(p.path("name").asText(), p.path("server").asText())));
        return new Doc(j.path("url").asText(), j.path("password").asText(), pieces);
    }

    private static HttpResponse<byte[]> retrieve(String url) {
        return nodes.get(client + "/retrieve?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
    }

    private static JsonNode inspect(String url) {
        HttpResponse<byte[]> r = nodes.get(client + "/inspect?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(body(r)).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String body(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static ConfigurableApplicationContext context(String serverUrl) {
        return servers.stream().filter(s -> LocalNodes.url(s).equals(serverUrl)).findFirst().orElseThrow();
    }

    /** Three servers that together hold at least k = 3 pieces, and the seven others. */
    private static List<List<String>> keepThree(Doc doc) {
        Map<String, Long> perServer = doc.pieces().stream().collect(Collectors.groupingBy(Piece::server, Collectors.counting()));
        List<String> keep = perServer.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(3).map(Map.Entry::getKey).toList();
        List<String> others = servers.stream().map(LocalNodes::url).filter(s -> !keep.contains(s)).toList();
        return List.of(keep, others);
    }

    private static Path pieceDir(Piece p) {
        return LocalPubliusServers.store(context(p.server())).directory(PubliusName.parse(p.name()));
    }

    @Test
    @Order(1)
    void publishAndRetrieve() {
        Doc doc = publish(PAGE, "text/html", "");
        assertThat(doc.url()).startsWith("publius://1/k3n10/text%2Fhtml/");
        HttpResponse<byte[]> r = retrieve(doc.url());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(PAGE);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(r.headers().firstValue("X-Publius-Servers").orElseThrow().split(",")).hasSizeBetween(1, 3);
        assertThat(r.headers().firstValue("X-Publius-Url")).contains(doc.url());
        // the servers only hold random-looking bytes
        Piece first = doc.pieces().getFirst();
        assertThat(pieceDir(first).resolve("file")).exists();
        assertThat(body(nodes.get(first.server() + "/peer/publius/" + first.name() + "/file"))).doesNotContain("Publius");

        JsonNode servers = JSON.readTree(nodes.get(client + "/servers").body());
        assertThat(servers.path("m").asInt()).isEqualTo(10);
        assertThat(servers.path("reachable").asInt()).isEqualTo(10);
    }

    @Test
    @Order(2)
    void corruptFilesOnSevenServersAreDetectedAndRoutedAround() throws IOException {
        byte[] content = new byte[200_000];
        new SecureRandom().nextBytes(content);
        Doc doc = publish(content, "application/octet-stream", "");
        List<String> corrupted = keepThree(doc).get(1);
        for (Piece p : doc.pieces()) {
            if (corrupted.contains(p.server())) {
                Path file = pieceDir(p).resolve("file");
                byte[] bytes = Files.readAllBytes(file);
                bytes[bytes.length / 2] ^= 1;
                Files.write(file, bytes);
            }
        }
        HttpResponse<byte[]> r = retrieve(doc.url());
        assertThat(r.statusCode()).as(body(r)).isEqualTo(200);
        assertThat(r.body()).isEqualTo(content);
        JsonNode report = inspect(doc.url());
        report.path("pieces").forEach(p -> {
            if (corrupted.contains(p.path("server").asText())) {
                assertThat(p.path("status").asText()).as(p.toString()).isEqualTo("corrupt-file");
            }
        });
    }

    @Test
    @Order(3)
    void deleteWithTheWrongPasswordIsRefusedAndLosesNothing() {
        Doc doc = publish(PAGE, "text/html", "");
        HttpResponse<byte[]> r = nodes.send("POST", client + "/delete",
                ("{\"url\":\"" + doc.url() + "\",\"password\":\"guess\"}").getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(r.statusCode()).as(body(r)).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).path("type").asText()).isEqualTo("urn:p2plab:problem:wrong-password");
        assertThat(retrieve(doc.url()).body()).isEqualTo(PAGE);

        r = nodes.send("POST", client + "/delete",
                ("{\"url\":\"" + doc.url() + "\",\"password\":\"" + doc.password() + "\"}").getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertThat(r.statusCode()).as(body(r)).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("deleted").asInt()).isEqualTo(10);
        HttpResponse<byte[]> gone = retrieve(doc.url());
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(gone.body()).path("type").asText()).isEqualTo("urn:p2plab:problem:no-such-document");
    }

    @Test
    @Order(4)
    void theOldUrlServesTheUpdatedContent() {
        Doc doc = publish(PAGE, "text/html", "");
        byte[] v2 = "second edition".getBytes(StandardCharsets.UTF_8);
        Multipart form = new Multipart().field("url", doc.url()).field("password", doc.password())
                .field("newPassword", "pw2").file("file", "v2.txt", "text/plain", v2);
        HttpResponse<byte[]> r = nodes.send("POST", client + "/update", form.body(), form.contentType());
        assertThat(r.statusCode()).as(body(r)).isEqualTo(201);
        JsonNode u = JSON.readTree(r.body());
        assertThat(u.path("updated").asInt()).isEqualTo(10);
        assertThat(u.path("password").asText()).isEqualTo("pw2");

        HttpResponse<byte[]> got = retrieve(doc.url());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(v2);
        assertThat(got.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(got.headers().firstValue("X-Publius-Updates-Followed")).contains("1");
        assertThat(got.headers().firstValue("X-Publius-Url")).contains(u.path("url").asText());
    }

    @Test
    @Order(5)
    void forgedUpdateFilesOnFewerThanKServersAreIgnoredAndNoUpdateUrlsIgnoreThemEverywhere() throws IOException {
        Doc mallory = publish("Mallory's page".getBytes(StandardCharsets.UTF_8), "text/plain", "");
        Doc doc = publish(PAGE, "text/html", "");
        for (Piece p : doc.pieces().subList(0, 2)) { // k - 1 colluding servers
            Files.writeString(pieceDir(p).resolve("update"), mallory.url());
        }
        HttpResponse<byte[]> r = retrieve(doc.url());
        assertThat(r.body()).isEqualTo(PAGE);
        assertThat(r.headers().firstValue("X-Publius-Updates-Followed")).contains("0");

        Doc frozen = publish(PAGE, "text/html", "&noUpdate=true");
        assertThat(frozen.url()).contains("/k3n10-noupdate/");
        for (Piece p : frozen.pieces()) { // every server
            Files.writeString(pieceDir(p).resolve("update"), mallory.url());
        }
        r = retrieve(frozen.url());
        assertThat(r.body()).isEqualTo(PAGE);
        assertThat(r.headers().firstValue("X-Publius-Updates-Followed")).contains("0");
        JsonNode report = inspect(frozen.url());
        Map<String, Integer> statuses = new HashMap<>();
        report.path("pieces").forEach(p -> statuses.merge(p.path("status").asText(), 1, Integer::sum));
        assertThat(statuses).containsEntry("ignored-update", 10);
    }

    @Test
    @Order(6)
    void stillRetrievableWithSevenServersStopped() {
        Doc doc = publish(PAGE, "text/html", "");
        List<String> stopped = keepThree(doc).get(1);
        for (String s : stopped) {
            nodes.stop(context(s));
        }
        servers = servers.stream().filter(s -> !stopped.contains(LocalNodes.url(s))).toList();
        HttpResponse<byte[]> r = retrieve(doc.url());
        assertThat(r.statusCode()).as(body(r)).isEqualTo(200);
        assertThat(r.body()).isEqualTo(PAGE);
        JsonNode report = inspect(doc.url());
        report.path("pieces").forEach(p -> {
            if (stopped.contains(p.path("server").asText())) {
                assertThat(p.path("status").asText()).isEqualTo("unreachable");
            }
        });
        assertThat(JSON.readTree(nodes.get(client + "/servers").body()).path("reachable").asInt()).isEqualTo(3);
    }
}
