package org.p2plab.gnutella;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.p2plab.gnutella.net.Servent;
import org.p2plab.gnutella.protocol.Guid;
import org.p2plab.gnutella.protocol.Handshake;
import org.p2plab.gnutella.protocol.Headers;
import org.p2plab.gnutella.protocol.Messages;
import org.p2plab.gnutella.protocol.Packet;
import org.p2plab.gnutella.protocol.PacketReader;
import org.p2plab.support.test.LocalNodes;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * One servent's wire behaviour, seen from raw sockets: the 0.6 handshake's headers and refusals,
 * Ping/Pong and Bye after it, oversized messages, the HTTP side's busy and freeloader answers,
 * the live event stream of a search, and the REST API's answers to bad input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GnutellaServentTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final LocalGnutellaNodes nodes = new LocalGnutellaNodes();
    private ConfigurableApplicationContext up;
    private ConfigurableApplicationContext leaf;
    private ConfigurableApplicationContext strict;

    @BeforeAll
    void start() {
        up = nodes.servent(true, List.of(), "p2plab.gnutella.upload-slots=1", "p2plab.gnutella.search-lifetime=3s");
        leaf = nodes.servent(false, List.of(up), "p2plab.gnutella.search-lifetime=3s", "p2plab.gnutella.download-attempts=1");
        strict = nodes.servent(true, List.of(up), "p2plab.gnutella.refuse-freeloaders=true");
        await().atMost(WAIT).until(() -> servent(up).connections().size() == 2);
    }

    @AfterAll
    void stop() {
        nodes.close();
    }

    private static Servent servent(ConfigurableApplicationContext c) {
        return LocalGnutellaNodes.servent(c);
    }

    private static String url(ConfigurableApplicationContext c) {
        return LocalNodes.url(c);
    }

    private static Socket connect(ConfigurableApplicationContext c) throws Exception {
        Socket s = new Socket("127.0.0.1", servent(c).port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void write(Socket s, String text) throws Exception {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    @Test
    void anUltrapeerAnswersTheHandshakeWithTheDraftsHeadersThenPongsAndHonoursBye() throws Exception {
        long byesBefore = servent(up).transportStats().byesIn();
        try (Socket s = connect(up)) {
            // header names in any case, a continuation line, an unknown header
            write(s, "GNUTELLA CONNECT/0.6\r\nuser-agent: test\r\n  servent/1.0\r\nx-ultrapeer: true\r\nListen-IP: 127.0.0.1:1\r\n"
                    + "X-Unknown-Thing: whatever\r\nBye-Packet: 0.1\r\n\r\n");
            InputStream in = new BufferedInputStream(s.getInputStream());
            Handshake.Message m = Handshake.read(in);
            assertThat(m.code()).isEqualTo(200);
            Headers h = m.headers();
            assertThat(h.get("X-Ultrapeer")).isEqualTo("True");
            assertThat(Integer.parseInt(h.get("X-Degree"))).isGreaterThanOrEqualTo(16);
            assertThat(h.has("X-Dynamic-Querying")).isTrue();
            assertThat(h.get("X-Ultrapeer-Needed")).isNotEqualToIgnoringCase("false");
            assertThat(h.get("Listen-IP")).isEqualTo(servent(up).listenAddress());
            assertThat(h.get("Remote-IP")).isEqualTo("127.0.0.1");
            assertThat(h.get("GGEP")).isEqualTo("0.5");
            assertThat(h.get("Pong-Caching")).isEqualTo("0.1");
            assertThat(h.get("Bye-Packet")).isEqualTo("0.1");
            assertThat(h.get("X-Query-Routing")).isEqualTo("0.1");
            assertThat(h.get("User-Agent")).startsWith("p2plab/");
            write(s, "GNUTELLA/0.6 200 OK\r\n\r\n");
            await().atMost(WAIT).until(() -> servent(up).connections().stream().anyMatch(c -> c.userAgent().equals("test servent/1.0")));

            Guid g = Guid.random(new Random(1));
            s.getOutputStream().write(new Packet(g, Packet.PING, 1, 0, new byte[0]).encode());
            s.getOutputStream().flush();
            PacketReader reader = new PacketReader(in, 65536);
            Packet p;
            do {
                p = reader.read();
            } while (p.type() != Packet.PONG || !p.guid().equals(g)); // its own keep-alive pings may come first
            Messages.Pong pong = Messages.Pong.decode(p.payload());
            assertThat(pong.port()).isEqualTo(servent(up).port());
            assertThat(pong.ip()).isEqualTo("127.0.0.1");

            s.getOutputStream().write(new Packet(Guid.random(new Random(2)), Packet.BYE, 1, 0, new Messages.Bye(200, "done").encode())
                    .encode());
            s.getOutputStream().flush();
            await().atMost(WAIT).until(() -> servent(up).transportStats().byesIn() == byesBefore + 1);
            await().atMost(WAIT).until(() -> servent(up).connections().size() == 2);
        }
    }

    @Test
    void aLeafRefusesAnotherLeafAndPointsToItsUltrapeer() throws Exception {
        try (Socket s = connect(leaf)) {
            write(s, "GNUTELLA CONNECT/0.6\r\nX-Ultrapeer: False\r\n\r\n");
            Handshake.Message m = Handshake.read(new BufferedInputStream(s.getInputStream()));
            assertThat(m.code()).isEqualTo(503);
            assertThat(m.headers().list("X-Try-Ultrapeers")).contains(servent(up).listenAddress());
            assertThat(m.headers().get("X-Ultrapeer")).isEqualTo("False");
            assertThat(s.getInputStream().read()).isEqualTo(-1); // and closes
        }
    }

    @Test
    void oldVersionsGarbageAndOtherMethodsAreRefusedAndClosed() throws Exception {
        try (Socket s = connect(up)) {
            write(s, "GNUTELLA CONNECT/0.4\n\n");
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("GNUTELLA/0.6 503");
        }
        try (Socket s = connect(up)) {
            write(s, "GNUTELLA CONNECT/0.6\r\nno colon here\r\n\r\n");
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("GNUTELLA/0.6 400");
        }
        try (Socket s = connect(up)) {
            write(s, "POST /get/1/x HTTP/1.1\r\n\r\n");
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 501");
        }
        try (Socket s = connect(up)) {
            write(s, "\u0001\u0002\u0003\u0004 hello");
            assertThat(s.getInputStream().readAllBytes()).isEmpty(); // not Gnutella, not HTTP: closed
        }
        assertThat(servent(up).transportStats().internalErrors()).isZero();
    }

    @Test
    void anOversizedMessageIsRefusedFromItsHeaderWithAByeAndTheConnectionClosed() throws Exception {
        try (Socket s = connect(up)) {
            write(s, "GNUTELLA CONNECT/0.6\r\nX-Ultrapeer: True\r\nBye-Packet: 0.1\r\nListen-IP: 127.0.0.1:2\r\n\r\n");
            InputStream in = new BufferedInputStream(s.getInputStream());
            assertThat(Handshake.read(in).code()).isEqualTo(200);
            write(s, "GNUTELLA/0.6 200 OK\r\n\r\n");
            byte[] header = new byte[Packet.HEADER];
            Guid.random(new Random(3)).writeTo(header, 0);
            header[16] = (byte) Packet.QUERY;
            header[17] = 7;
            header[19] = 0;
            header[20] = 0;
            header[21] = (byte) 0xA0; // 10 MB announced, never sent
            s.getOutputStream().write(header);
            s.getOutputStream().flush();
            PacketReader reader = new PacketReader(in, 65536);
            Packet bye = null;
            for (Packet p = reader.read(); p != null; p = reader.read()) {
                if (p.type() == Packet.BYE) {
                    bye = p;
                }
            }
            assertThat(bye).isNotNull();
            assertThat(Messages.Bye.decode(bye.payload()).code()).isEqualTo(400);
        }
        assertThat(servent(up).transportStats().oversized()).isPositive();
    }

    @Test
    void whenEveryUploadSlotIsTakenDownloadsGet503WithRetryAfterAndHitsSayBusy() throws Exception {
        byte[] big = new byte[24 * 1024 * 1024];
        new Random(4).nextBytes(big);
        JsonNode share = LocalGnutellaNodes.parse(nodes.send("POST", url(up) + "/shares?name=big%20busy%20file.bin", big,
                "application/octet-stream").body());
        long index = share.get("index").asLong();
        try (Socket hog = connect(up)) {
            write(hog, "GET /get/" + index + "/big%20busy%20file.bin HTTP/1.1\r\n\r\n"); // and never read
            await().atMost(WAIT).until(() -> servent(up).transfers().stats().activeUploads() == 1);
            GnutellaLoopbackTest.Raw r = GnutellaLoopbackTest.raw(servent(up).port(), "GET /get/" + index
                    + "/big%20busy%20file.bin HTTP/1.1\r\n\r\n");
            assertThat(r.code()).isEqualTo(503);
            assertThat(r.headers().get("Retry-After")).isEqualTo("30");
            JsonNode s = nodes.json("POST", url(leaf) + "/searches", "{\"query\":\"big busy\"}");
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode res = nodes.json(url(leaf) + "/searches/" + s.get("id").asString()).get("results");
                assertThat(res.size()).isEqualTo(1);
                assertThat(res.get(0).get("busy").asBoolean()).isTrue();
            });
        }
        await().atMost(WAIT).until(() -> servent(up).transfers().stats().activeUploads() == 0);
        assertThat(nodes.send("DELETE", url(up) + "/shares/" + index, null, null).statusCode()).isEqualTo(204);
    }

    @Test
    void aServentWithTheFreeloaderRuleRefusesThoseWhosePongsSayTheyShareNothing() throws Exception {
        JsonNode share = LocalGnutellaNodes.parse(nodes.send("POST", url(strict) + "/shares?name=strict%20file.txt",
                "for sharers only".getBytes(StandardCharsets.UTF_8), "text/plain").body());
        // the strict servent hears the leaf's Pong (0 files) through the pong-cache refresh
        await().atMost(WAIT).until(() -> {
            var h = servent(strict).hostCache().get(servent(leaf).listenAddress());
            return h != null && h.files() == 0;
        });
        String body = "{\"peer\":\"" + servent(strict).listenAddress() + "\",\"index\":" + share.get("index").asLong()
                + ",\"name\":\"strict file.txt\"}";
        String id = nodes.json("POST", url(leaf) + "/downloads", body).get("id").asString();
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode d = nodes.json(url(leaf) + "/downloads/" + id);
            assertThat(d.get("state").asString()).isEqualTo("failed");
            assertThat(d.get("error").asString()).startsWith("403");
        });
        assertThat(servent(strict).transfers().stats().uploadsRefusedFreeloader()).isPositive();
        // a downloader that is not known to share nothing is served
        GnutellaLoopbackTest.Raw r = GnutellaLoopbackTest.raw(servent(strict).port(), "GET /get/" + share.get("index").asLong()
                + "/strict%20file.txt HTTP/1.1\r\n\r\n");
        assertThat(r.code()).isEqualTo(200);
    }

    @Test
    void aSearchStreamsItsResultsAsServerSentEventsAndEnds() throws Exception {
        nodes.send("POST", url(strict) + "/shares?name=streamed%20song.mp3", new byte[100], "application/octet-stream");
        JsonNode s = nodes.json("POST", url(leaf) + "/searches", "{\"query\":\"streamed song\",\"ttl\":3}");
        HttpResponse<java.io.InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url(leaf) + "/searches/" + s.get("id").asString() + "/events")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        try (BufferedReader br = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = br.readLine(); line != null; line = br.readLine()) {
                if (line.startsWith("event:")) {
                    events.add(line.substring(6).strip());
                }
                else if (line.startsWith("data:") && events.getLast().equals("result")) {
                    assertThat(line).contains("streamed song.mp3");
                }
            }
        }
        assertThat(events).containsExactly("result", "end"); // the stream ends when the search does (3 s)
        assertThat(nodes.json(url(leaf) + "/searches/" + s.get("id").asString()).get("live").asBoolean()).isFalse();
    }

    @Test
    void closingANeighbourSendsItAByeAndItsNeighboursCanConnectAgain() {
        String id = servent(strict).connections().getFirst().id();
        long byes = servent(up).transportStats().byesIn();
        assertThat(nodes.send("DELETE", url(strict) + "/neighbours/" + id, null, null).statusCode()).isEqualTo(204);
        await().atMost(WAIT).until(() -> servent(up).transportStats().byesIn() == byes + 1);
        // strict keeps up as a configured peer: its keeper dials it again
        await().atMost(WAIT).until(() -> servent(strict).connections().size() == 1);
        JsonNode again = nodes.json("POST", url(leaf) + "/neighbours", "{\"host\":\"127.0.0.1\",\"port\":" + servent(up).port() + "}");
        assertThat(again.get("address").asString()).isEqualTo(servent(up).listenAddress());
    }

    @Test
    void aHandshakeSentAByteAtATimeIsCutAtTheHandshakeTimeout() throws Exception {
        ConfigurableApplicationContext quick = nodes.servent(true, List.of(), "p2plab.gnutella.handshake-timeout=1s");
        try (Socket s = connect(quick)) {
            long start = System.nanoTime();
            byte[] hello = "GNUTELLA CONNECT/0.6\r\nX-Filler: ".getBytes(StandardCharsets.ISO_8859_1);
            s.getOutputStream().write(hello);
            boolean cut = false;
            // a byte every 200 ms keeps each read within any per-read timeout; the whole handshake has 1 s
            while (System.nanoTime() - start < Duration.ofSeconds(20).toNanos()) {
                try {
                    s.getOutputStream().write('x');
                    s.getOutputStream().flush();
                }
                catch (java.io.IOException e) {
                    cut = true;
                    break;
                }
                s.setSoTimeout(200);
                try {
                    if (s.getInputStream().read() < 0) {
                        cut = true;
                        break;
                    }
                }
                catch (java.net.SocketTimeoutException e) {
                    // nothing yet
                }
            }
            assertThat(cut).as("the servent closed the trickling connection").isTrue();
        }
        finally {
            nodes.stop(quick);
        }
    }

    @Test
    void twoServentsDiallingEachOtherKeepExactlyOneConnection() throws Exception {
        int[] ports = new int[2];
        for (int i = 0; i < 2; i++) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                ports[i] = probe.getLocalPort();
            }
        }
        ConfigurableApplicationContext a = nodes.servent(true, List.of(), "p2plab.gnutella.listen-port=" + ports[0],
                "p2plab.gnutella.peers=127.0.0.1:" + ports[1]);
        ConfigurableApplicationContext b = nodes.servent(true, List.of(), "p2plab.gnutella.listen-port=" + ports[1],
                "p2plab.gnutella.peers=127.0.0.1:" + ports[0]);
        try {
            await().atMost(WAIT).until(() -> servent(a).connections().size() == 1 && servent(b).connections().size() == 1);
            // and it stays one: neither keeper dials again, nor do they drop each other
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(servent(a).connections()).hasSize(1);
                assertThat(servent(b).connections()).hasSize(1);
            });
        }
        finally {
            nodes.stop(a);
            nodes.stop(b);
        }
    }

    @Test
    void badRequestsGetProblemsAndChangeNothing() {
        String u = url(up);
        int shares = servent(up).shares().library().count();
        expect("POST", u + "/searches", "{}", 400, null);
        expect("POST", u + "/searches", "{\"query\":\"a b\"}", 400, "no-keywords");
        expect("POST", u + "/searches", "{\"query\":\"fine\",\"ttl\":200}", 400, "ttl-too-high");
        expect("POST", u + "/searches", "{\"query\":\"fine\",\"ttl\":0}", 400, null);
        expect("POST", u + "/searches", "not json", 400, null);
        expect("GET", u + "/searches/0123", null, 404, "no-such-search");
        expect("POST", u + "/neighbours", "{\"host\":\"bad host!\",\"port\":1}", 400, null);
        expect("POST", u + "/neighbours", "{\"host\":\"127.0.0.1\",\"port\":0}", 400, null);
        expect("POST", u + "/neighbours", "{\"host\":\"127.0.0.1\",\"port\":" + servent(up).port() + "}", 400, "self");
        expect("POST", u + "/neighbours", "{\"host\":\"127.0.0.1\",\"port\":1}", 502, "unreachable");
        expect("DELETE", u + "/neighbours/c999", null, 404, "no-such-neighbour");
        assertThat(nodes.send("POST", u + "/shares", "x".getBytes(), "text/plain").statusCode()).isEqualTo(400);
        assertThat(nodes.send("POST", u + "/shares?name=..%2Fescape.txt", "x".getBytes(), "text/plain").statusCode()).isEqualTo(400);
        assertThat(nodes.send("POST", u + "/shares?name=twice.txt", "x".getBytes(), "text/plain").statusCode()).isEqualTo(201);
        var dup = nodes.send("POST", u + "/shares?name=twice.txt", "y".getBytes(), "text/plain");
        assertThat(dup.statusCode()).isEqualTo(409);
        expect("DELETE", u + "/shares/99999", null, 404, "no-such-share");
        expect("POST", u + "/downloads", "{\"peer\":\"nohost\",\"index\":1,\"name\":\"x\"}", 400, null);
        expect("POST", u + "/downloads", "{\"peer\":\"127.0.0.1:99999\",\"index\":1,\"name\":\"x\"}", 400, "invalid-peer");
        expect("POST", u + "/downloads", "{\"peer\":\"127.0.0.1:1\",\"index\":1,\"name\":\"x\",\"sha1\":\"nope\"}", 400, "invalid-sha1");
        expect("POST", u + "/downloads", "{\"peer\":\"127.0.0.1:1\",\"index\":1,\"name\":\"x\",\"push\":true}", 400, "push-needs-servent");
        expect("POST", u + "/downloads", "{\"peer\":\"127.0.0.1:1\",\"index\":1,\"name\":\"x\",\"servent\":\"zz\"}", 400,
                "invalid-servent");
        expect("GET", u + "/downloads/d999", null, 404, "no-such-download");
        assertThat(servent(up).shares().library().count()).isEqualTo(shares + 1); // only twice.txt
        assertThat(nodes.send("DELETE", u + "/shares/" + servent(up).shares().library().all().stream()
                .filter(f -> f.name().equals("twice.txt")).findFirst().orElseThrow().index(), null, null).statusCode()).isEqualTo(204);
    }

    private void expect(String method, String url, String json, int status, String kind) {
        var r = nodes.send(method, url, json == null ? null : json.getBytes(StandardCharsets.UTF_8), json == null ? null : "application/json");
        assertThat(r.statusCode()).as(method + " " + url + " " + json + ": " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        if (kind != null) {
            assertThat(LocalGnutellaNodes.parse(r.body()).get("type").asString()).isEqualTo("urn:p2plab:problem:" + kind);
        }
    }
}
