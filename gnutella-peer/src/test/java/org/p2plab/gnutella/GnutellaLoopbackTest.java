package org.p2plab.gnutella;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.p2plab.gnutella.net.Connection;
import org.p2plab.gnutella.net.Servent;
import org.p2plab.gnutella.protocol.GnutellaNode;
import org.p2plab.gnutella.protocol.Headers;
import org.p2plab.gnutella.protocol.HttpWire;
import org.p2plab.support.test.LocalNodes;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Evidence 3: ten ultrapeers in one JVM, each connected over loopback TCP (the 0.6 handshake,
 * the binary messages) to the two before it — a strip of triangles in which servent 9 is five
 * links from servent 0 — plus two leaves: the searcher on ultrapeer 0 only, another on 8 and 9.
 * Searches go in through REST, flood over Gnutella, and their hits come back along the reverse
 * path; files come over HTTP on the Gnutella port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GnutellaLoopbackTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final LocalGnutellaNodes nodes = new LocalGnutellaNodes();
    private final List<ConfigurableApplicationContext> ups = new ArrayList<>();
    private ConfigurableApplicationContext searcher;
    private ConfigurableApplicationContext otherLeaf;
    private final byte[] distant = bytes(1, 300_000);
    private final byte[] far = bytes(2, 50_000);
    private final byte[] hidden = bytes(3, 120_000);

    @BeforeAll
    void network() {
        for (int i = 0; i < 10; i++) {
            List<ConfigurableApplicationContext> peers = new ArrayList<>();
            for (int j = Math.max(0, i - 2); j < i; j++) {
                peers.add(ups.get(j));
            }
            ups.add(nodes.servent(true, peers, i == 7 ? "p2plab.gnutella.firewalled=true" : "p2plab.gnutella.firewalled=false"));
        }
        searcher = nodes.servent(false, List.of(ups.get(0)));
        otherLeaf = nodes.servent(false, List.of(ups.get(8), ups.get(9)));
        share(ups.get(4), "Distant Shore Protocol Notes.txt", distant);
        share(ups.get(9), "Far Away Archive.bin", far);
        share(ups.get(7), "Behind The Firewall.dat", hidden);
        await().atMost(WAIT).untilAsserted(() -> {
            for (int i = 0; i < 10; i++) {
                int expected = (int) java.util.stream.IntStream.of(i - 2, i - 1, i + 1, i + 2).filter(j -> j >= 0 && j < 10).count()
                        + (i == 0 || i == 8 || i == 9 ? 1 : 0);
                assertThat(LocalGnutellaNodes.servent(ups.get(i)).connections()).as("servent %d's neighbours", i).hasSize(expected);
            }
            assertThat(LocalGnutellaNodes.servent(searcher).connections()).hasSize(1);
            assertThat(LocalGnutellaNodes.servent(otherLeaf).connections()).hasSize(2);
            for (int i : new int[] {8, 9}) { // the other leaf's QRP table has arrived at its ultrapeers
                assertThat(LocalGnutellaNodes.servent(ups.get(i)).node().stats().qrpTables()).isPositive();
            }
        });
    }

    @AfterAll
    void stop() {
        nodes.close();
    }

    private void share(ConfigurableApplicationContext ctx, String name, byte[] content) {
        var r = nodes.send("POST", LocalNodes.url(ctx) + "/shares?name=" + name.replace(" ", "%20"), content, "application/octet-stream");
        assertThat(r.statusCode()).isEqualTo(201);
    }

    private static byte[] bytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Map<ConfigurableApplicationContext, GnutellaNode.Stats> snapshot(List<ConfigurableApplicationContext> all) {
        Map<ConfigurableApplicationContext, GnutellaNode.Stats> m = new HashMap<>();
        for (ConfigurableApplicationContext c : all) {
            m.put(c, LocalGnutellaNodes.servent(c).node().stats());
        }
        return m;
    }

    private List<ConfigurableApplicationContext> everyone() {
        List<ConfigurableApplicationContext> all = new ArrayList<>(ups);
        all.add(searcher);
        all.add(otherLeaf);
        return all;
    }

    private JsonNode search(ConfigurableApplicationContext from, String query, int expectedResults) {
        JsonNode s = nodes.json("POST", LocalNodes.url(from) + "/searches", "{\"query\":\"" + query + "\"}");
        String id = s.get("id").asString();
        assertThat(s.get("live").asBoolean()).isTrue();
        JsonNode[] last = new JsonNode[1];
        await().atMost(WAIT).untilAsserted(() -> {
            last[0] = nodes.json(LocalNodes.url(from) + "/searches/" + id);
            assertThat(last[0].get("results").size()).isGreaterThanOrEqualTo(expectedResults);
        });
        return last[0];
    }

    @Test
    @Order(1)
    void aQueryFromALeafFindsAFileThreeHopsAwayAndItsHitRetracesThePath() {
        List<ConfigurableApplicationContext> all = everyone();
        Map<ConfigurableApplicationContext, GnutellaNode.Stats> before = snapshot(all);
        JsonNode s = search(searcher, "distant shore", 1);
        JsonNode hit = s.get("results").get(0);
        Servent holder = LocalGnutellaNodes.servent(ups.get(4));
        assertThat(hit.get("peer").asString()).isEqualTo(holder.listenAddress());
        assertThat(hit.get("name").asString()).isEqualTo("Distant Shore Protocol Notes.txt");
        assertThat(hit.get("size").asLong()).isEqualTo(distant.length);
        assertThat(hit.get("servent").asString()).isEqualTo(holder.node().servent().hex());
        // leaf -> 0 -> 2 -> 4: three links, two servents in between that each pass the hit back once. The
        // hit retraces the path of the query's first copy to reach servent 4, which on a busy machine may
        // be the four-link leaf -> 0 -> 1 -> 3 -> 4
        assertThat(hit.get("hops").asInt()).isBetween(3, 4);

        // every ultrapeer handles the query once and counts every other copy as a duplicate (query TTL 7
        // covers the strip); the other leaf, which shares nothing, never sees it (QRP)
        await().atMost(WAIT).untilAsserted(() -> {
            Map<ConfigurableApplicationContext, GnutellaNode.Stats> after = snapshot(all);
            long duplicates = 0;
            for (ConfigurableApplicationContext c : all) {
                if (c == searcher) {
                    continue;
                }
                if (c == otherLeaf) { // it shares nothing: its QRP table is empty, and its ultrapeers keep the query from it
                    assertThat(after.get(c).in().getOrDefault("query", 0L)).isZero();
                    continue;
                }
                long queries = after.get(c).in().getOrDefault("query", 0L) - before.get(c).in().getOrDefault("query", 0L);
                long dups = after.get(c).duplicates() - before.get(c).duplicates();
                assertThat(queries - dups).as("queries handled by %s", LocalGnutellaNodes.servent(c).listenAddress()).isEqualTo(1);
                duplicates += dups;
            }
            assertThat(duplicates).as("copies dropped as duplicates in a mesh with cycles").isPositive();
        });

        // the hit went back along the reverse path only: two servents routed it, ultrapeer 0 (the
        // searcher's only one) among them; none beyond the holder did
        Map<ConfigurableApplicationContext, GnutellaNode.Stats> after = snapshot(all);
        Map<Integer, Long> routed = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            long d = after.get(ups.get(i)).routedHits() - before.get(ups.get(i)).routedHits();
            if (d > 0) {
                routed.put(i, d);
            }
        }
        assertThat(routed.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(hit.get("hops").asInt() - 1);
        assertThat(routed).containsKey(0).doesNotContainKeys(4, 5, 6, 7, 8, 9);
        assertThat(routed.values()).allMatch(n -> n == 1);
    }

    @Test
    @Order(2)
    void theFileDownloadsOverHttpAndARangeRequestGetsItsPart() throws Exception {
        JsonNode hit = search(searcher, "distant shore", 1).get("results").get(0);
        String body = "{\"peer\":\"" + hit.get("peer").asString() + "\",\"index\":" + hit.get("index").asLong() + ",\"name\":\""
                + hit.get("name").asString() + "\",\"sha1\":\"" + hit.get("sha1").asString() + "\"}";
        JsonNode d = nodes.json("POST", LocalNodes.url(searcher) + "/downloads", body);
        String id = d.get("id").asString();
        JsonNode[] done = new JsonNode[1];
        await().atMost(WAIT).untilAsserted(() -> {
            done[0] = nodes.json(LocalNodes.url(searcher) + "/downloads/" + id);
            assertThat(done[0].get("state").asString()).isEqualTo("complete");
        });
        assertThat(Files.readAllBytes(Path.of(done[0].get("file").asString()))).isEqualTo(distant);
        assertThat(done[0].get("viaPush").asBoolean()).isFalse();

        // a Range request straight to the Gnutella port: 206 with exactly those bytes
        int port = LocalGnutellaNodes.wirePort(ups.get(4));
        long index = hit.get("index").asLong();
        Raw r = raw(port, "GET /get/" + index + "/Distant%20Shore%20Protocol%20Notes.txt HTTP/1.1\r\nRange: bytes=1000-1999\r\n\r\n");
        assertThat(r.code).isEqualTo(206);
        assertThat(r.headers.get("Content-Range")).isEqualTo("bytes 1000-1999/" + distant.length);
        assertThat(r.body).isEqualTo(Arrays.copyOfRange(distant, 1000, 2000));
        // not URL-encoded, the last 10 bytes
        r = raw(port, "GET /get/" + index + "/Distant Shore Protocol Notes.txt HTTP/1.1\r\nRange: bytes=-10\r\n\r\n");
        assertThat(r.code).isEqualTo(206);
        assertThat(r.body).isEqualTo(Arrays.copyOfRange(distant, distant.length - 10, distant.length));
        // by content hash
        r = raw(port, "GET /uri-res/N2R?urn:sha1:" + hit.get("sha1").asString() + " HTTP/1.1\r\n\r\n");
        assertThat(r.code).isEqualTo(200);
        assertThat(r.body).isEqualTo(distant);
        assertThat(r.headers.get("X-Gnutella-Content-URN")).isEqualTo("urn:sha1:" + hit.get("sha1").asString());
        // outside the file; a wrong name for the index
        r = raw(port, "GET /get/" + index + "/Distant%20Shore%20Protocol%20Notes.txt HTTP/1.1\r\nRange: bytes=" + distant.length
                + "-\r\n\r\n");
        assertThat(r.code).isEqualTo(416);
        assertThat(r.headers.get("Content-Range")).isEqualTo("bytes */" + distant.length);
        assertThat(raw(port, "GET /get/" + index + "/other.txt HTTP/1.1\r\n\r\n").code).isEqualTo(404);
    }

    @Test
    @Order(3)
    void aFirewalledServentsFileComesThroughAPushAndItsGiv() throws Exception {
        JsonNode hit = search(searcher, "behind firewall", 1).get("results").get(0);
        assertThat(hit.get("push").asBoolean()).isTrue();
        assertThat(hit.get("peer").asString()).isEqualTo(LocalGnutellaNodes.servent(ups.get(7)).listenAddress());
        String body = "{\"peer\":\"" + hit.get("peer").asString() + "\",\"index\":" + hit.get("index").asLong() + ",\"name\":\""
                + hit.get("name").asString() + "\",\"sha1\":\"" + hit.get("sha1").asString() + "\",\"servent\":\""
                + hit.get("servent").asString() + "\",\"push\":true}";
        String id = nodes.json("POST", LocalNodes.url(searcher) + "/downloads", body).get("id").asString();
        JsonNode[] done = new JsonNode[1];
        await().atMost(WAIT).untilAsserted(() -> {
            done[0] = nodes.json(LocalNodes.url(searcher) + "/downloads/" + id);
            assertThat(done[0].get("state").asString()).isEqualTo("complete");
        });
        assertThat(done[0].get("viaPush").asBoolean()).isTrue();
        assertThat(Files.readAllBytes(Path.of(done[0].get("file").asString()))).isEqualTo(hidden);
        assertThat(LocalGnutellaNodes.servent(ups.get(7)).transfers().stats().pushesAnswered()).isPositive();
    }

    @Test
    @Order(4)
    void aServentKilledMidSearchBreaksNothingElse() {
        ConfigurableApplicationContext victim = ups.get(5);
        String victimAddress = LocalGnutellaNodes.servent(victim).listenAddress();
        JsonNode s = nodes.json("POST", LocalNodes.url(searcher) + "/searches", "{\"query\":\"far away archive\"}");
        LocalGnutellaNodes.servent(victim).kill(); // no Bye: its sockets just close, as in a crash
        nodes.stop(victim);
        // the search in flight may lose its hit (if it was coming back through the victim: a reverse
        // path dies with any servent on it, as in Gnutella); the network itself carries on
        assertThat(nodes.get(LocalNodes.url(searcher) + "/searches/" + s.get("id").asString()).statusCode()).isEqualTo(200);
        List<ConfigurableApplicationContext> alive = everyone().stream().filter(c -> c != victim).toList();
        await().atMost(WAIT).untilAsserted(() -> {
            for (ConfigurableApplicationContext c : alive) {
                Set<String> addresses = LocalGnutellaNodes.servent(c).connections().stream().map(Connection::listenAddress)
                        .collect(Collectors.toSet());
                assertThat(addresses).doesNotContain(victimAddress);
            }
        });
        // the others still search each other's files, from both sides of the gap
        JsonNode again = search(searcher, "far away archive", 1);
        assertThat(again.get("results").get(0).get("peer").asString()).isEqualTo(LocalGnutellaNodes.servent(ups.get(9)).listenAddress());
        JsonNode back = search(otherLeaf, "distant shore", 1);
        assertThat(back.get("results").get(0).get("peer").asString()).isEqualTo(LocalGnutellaNodes.servent(ups.get(4)).listenAddress());
        for (ConfigurableApplicationContext c : alive) {
            assertThat(nodes.get(LocalNodes.url(c) + "/stats").statusCode()).isEqualTo(200);
            assertThat(LocalGnutellaNodes.servent(c).node().stats().malformed()).isZero();
        }
    }

    record Raw(int code, Headers headers, byte[] body) {
    }

    static Raw raw(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            HttpWire.Response r = HttpWire.readResponse(in);
            return new Raw(r.code(), r.headers(), in.readAllBytes());
        }
    }
}
