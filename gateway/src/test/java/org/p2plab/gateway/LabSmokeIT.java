package org.p2plab.gateway;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2plab.gateway.lab.LabScript;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's run command, end to end: {@code ./lab.sh} (a reduced lab: the gateway, a two-node
 * Chord ring, a two-node CAN space, three Publius servers and the anycast resolver with its three
 * content servers and local resolver, an Overcast root with two nodes, a Napster index with two
 * sharing peers, four Gnutella servents (two ultrapeers, two leaves), on ports of their own) starts from
 * the packaged jars; a key put through the gateway is read back from the other node through the
 * gateway, in Chord and in CAN; a document published in Publius is retrieved through another
 * server's client; an anycast query through the gateway chooses a content server, also through the
 * local resolver; content published at the Overcast root through the gateway is fetched from the
 * node the root redirects to; the Napster index finds the peers' sample files and one peer
 * downloads from the other; a Gnutella search from a leaf finds the sample files of an ultrapeer
 * and of the other leaf, and the leaf downloads one; a lookup reports its hops; the
 * Chord API document fetched through the gateway points "Try it out" at the gateway;
 * {@code ./lab.sh stop} stops it with no process left behind; and a second start finds the key
 * and the document again.
 */
class LabSmokeIT {

    static final int GATEWAY = 22080;
    static final int CHORD = 22086;
    static final int CAN = 22087;
    static final int PUBLIUS = 22083;
    static final int ANYCAST = 22084;
    static final int ANYCAST_DNS = 22053;
    static final int OVERCAST = 22085;
    static final int NAPSTER = 22081;
    static final int NAPSTER_TCP = 22888;
    static final int GNUTELLA = 22082;
    static final int GNUTELLA_WIRE = 22346;
    static final int GNUTELLA_SERVENTS = 4;
    static final int PROMETHEUS = 22090;
    static final List<Integer> PORTS = List.of(GATEWAY, CHORD, LabScript.nodePort(CHORD, 1), CAN, LabScript.nodePort(CAN, 1),
            PUBLIUS, LabScript.nodePort(PUBLIUS, 1), LabScript.nodePort(PUBLIUS, 2), ANYCAST, LabScript.nodePort(ANYCAST, 1),
            LabScript.nodePort(ANYCAST, 2), LabScript.nodePort(ANYCAST, 3), LabScript.nodePort(ANYCAST, 4),
            ANYCAST_DNS, ANYCAST_DNS + 1, OVERCAST, LabScript.nodePort(OVERCAST, 1), LabScript.nodePort(OVERCAST, 2),
            NAPSTER, LabScript.nodePort(NAPSTER, 1), LabScript.nodePort(NAPSTER, 2), NAPSTER_TCP,
            GNUTELLA, LabScript.nodePort(GNUTELLA, 1), LabScript.nodePort(GNUTELLA, 2), LabScript.nodePort(GNUTELLA, 3),
            GNUTELLA_WIRE, LabScript.nodePort(GNUTELLA_WIRE, 1), LabScript.nodePort(GNUTELLA_WIRE, 2), LabScript.nodePort(GNUTELLA_WIRE, 3),
            PROMETHEUS);
    /** The lab starts a Prometheus when the binary is installed (CI installs it). */
    static final boolean WITH_PROMETHEUS = LabScript.prometheusInstalled();

    final JsonMapper json = JsonMapper.shared();

    @TempDir
    Path data;

    LabScript lab;
    /** Everything lab.sh started (JVMs, Prometheus), to check that stop leaves nothing behind. */
    List<ProcessHandle> everything = List.of();

    @Test
    void theLabStartsServesThroughTheGatewayStopsCleanlyAndKeepsItsData() throws Exception {
        for (int port : PORTS) {
            assertThat(LabScript.free(port)).as("port %d must be free for this test", port).isTrue();
        }
        List<ProcessHandle> jvms = start();
        assertThat(jvms).as("one JVM each for the Chord nodes, the CAN nodes, the Publius servers, the anycast nodes, "
                + "the Overcast nodes, the Napster index and peers, the Gnutella servents, and the gateway").hasSize(8);
        if (WITH_PROMETHEUS) {
            // it scrapes the gateway and both nodes, and they all answer
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode targets = json.readTree(LabScript.get("http://127.0.0.1:" + PROMETHEUS + "/api/v1/targets?state=active").body());
                List<String> up = targets.path("data").path("activeTargets").valueStream()
                        .filter(t -> t.path("health").asString().equals("up"))
                        .map(t -> t.path("labels").path("application").asString() + "@" + t.path("scrapeUrl").asString()).toList();
                assertThat(up).containsExactlyInAnyOrder(
                        "gateway@http://127.0.0.1:" + GATEWAY + "/actuator/prometheus",
                        "chord-node@http://127.0.0.1:" + CHORD + "/actuator/prometheus",
                        "chord-node@http://127.0.0.1:" + LabScript.nodePort(CHORD, 1) + "/actuator/prometheus",
                        "can-node@http://127.0.0.1:" + CAN + "/actuator/prometheus",
                        "can-node@http://127.0.0.1:" + LabScript.nodePort(CAN, 1) + "/actuator/prometheus",
                        "publius-server@http://127.0.0.1:" + PUBLIUS + "/actuator/prometheus",
                        "publius-server@http://127.0.0.1:" + LabScript.nodePort(PUBLIUS, 1) + "/actuator/prometheus",
                        "publius-server@http://127.0.0.1:" + LabScript.nodePort(PUBLIUS, 2) + "/actuator/prometheus",
                        "anycast-resolver@http://127.0.0.1:" + ANYCAST + "/actuator/prometheus",
                        "anycast-resolver@http://127.0.0.1:" + LabScript.nodePort(ANYCAST, 1) + "/actuator/prometheus",
                        "anycast-resolver@http://127.0.0.1:" + LabScript.nodePort(ANYCAST, 2) + "/actuator/prometheus",
                        "anycast-resolver@http://127.0.0.1:" + LabScript.nodePort(ANYCAST, 3) + "/actuator/prometheus",
                        "anycast-resolver@http://127.0.0.1:" + LabScript.nodePort(ANYCAST, 4) + "/actuator/prometheus",
                        "overcast-root@http://127.0.0.1:" + OVERCAST + "/actuator/prometheus",
                        "overcast-root@http://127.0.0.1:" + LabScript.nodePort(OVERCAST, 1) + "/actuator/prometheus",
                        "overcast-root@http://127.0.0.1:" + LabScript.nodePort(OVERCAST, 2) + "/actuator/prometheus",
                        "index-service@http://127.0.0.1:" + NAPSTER + "/actuator/prometheus",
                        "index-service@http://127.0.0.1:" + LabScript.nodePort(NAPSTER, 1) + "/actuator/prometheus",
                        "index-service@http://127.0.0.1:" + LabScript.nodePort(NAPSTER, 2) + "/actuator/prometheus",
                        "gnutella-peer@http://127.0.0.1:" + GNUTELLA + "/actuator/prometheus",
                        "gnutella-peer@http://127.0.0.1:" + LabScript.nodePort(GNUTELLA, 1) + "/actuator/prometheus",
                        "gnutella-peer@http://127.0.0.1:" + LabScript.nodePort(GNUTELLA, 2) + "/actuator/prometheus",
                        "gnutella-peer@http://127.0.0.1:" + LabScript.nodePort(GNUTELLA, 3) + "/actuator/prometheus");
            });
        }

        HttpResponse<String> put = send("PUT", "/chord/dht/hello", "world");
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("Location")).hasValue("http://127.0.0.1:" + GATEWAY + "/chord/dht/hello");
        HttpResponse<String> get = send("GET", "/chord/nodes/1/dht/hello", null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("world");
        assertThat(get.headers().firstValue("X-P2P-Hops")).isPresent();

        assertThat(send("PUT", "/can/dht/hello", "space").statusCode()).isEqualTo(201);
        HttpResponse<String> canGet = send("GET", "/can/nodes/1/dht/hello", null);
        assertThat(canGet.statusCode()).isEqualTo(200);
        assertThat(canGet.body()).isEqualTo("space");
        JsonNode space = json.readTree(send("GET", "/can/space", null).body());
        assertThat(space.path("nodes").asInt()).isEqualTo(2);
        assertThat(space.path("complete").asBoolean()).isTrue();

        HttpResponse<String> published = LabScript.send("POST", "http://127.0.0.1:" + GATEWAY + "/publius/publish",
                "uncensored", "text/plain");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        assertThat(published.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .startsWith("http://127.0.0.1:" + GATEWAY + "/publius/retrieve?url=publius"));
        JsonNode doc = json.readTree(published.body());
        assertThat(doc.path("n").asInt()).isEqualTo(3);
        assertThat(doc.path("stored").asInt()).isEqualTo(3);
        publiusUrl = doc.path("url").asString();
        assertRetrievable(publiusUrl);

        // anycast: the resolver chooses one of its three content servers; the local resolver (node 4) asks it
        List<String> contentServers = List.of(1, 2, 3).stream()
                .map(i -> "http://127.0.0.1:" + LabScript.nodePort(ANYCAST, i)).toList();
        HttpResponse<String> resolved = send("GET", "/anycast/resolve/Daily-News%25cc.gatech.edu", null);
        assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
        assertThat(json.readTree(resolved.body()).path("chosen").path("url").asString()).isIn(contentServers);
        JsonNode viaLocal = json.readTree(send("GET", "/anycast/nodes/4/resolve/ServerLoad.Daily-News%25cc.gatech.edu", null).body());
        assertThat(viaLocal.path("source").asString()).isIn("authority", "cache");
        assertThat(viaLocal.path("chosen").path("url").asString()).isIn(contentServers);
        assertThat(send("GET", "/anycast/nodes/2/content/", null).body()).contains("Daily-News%cc.gatech.edu");

        // Overcast: publish at the root through the gateway (with curl's form type: the body stays the content), get
        // redirected to a node, fetch it there
        HttpResponse<String> cast = send("POST", "/overcast/groups/lab/content?name=hello.txt", "multicast");
        assertThat(cast.statusCode()).as(cast.body()).isEqualTo(201);
        assertThat(json.readTree(cast.body()).path("size").asInt()).isEqualTo(9);
        HttpResponse<String> join = send("GET", "/overcast/groups/lab/join?name=hello.txt", null);
        assertThat(join.statusCode()).as(join.body()).isEqualTo(302);
        String node = join.headers().firstValue("Location").orElseThrow();
        assertThat(node).isIn(List.of(1, 2).stream().map(i -> "http://127.0.0.1:" + LabScript.nodePort(OVERCAST, i)
                + "/groups/lab/content/hello.txt").toList());
        assertThat(LabScript.get(node).body()).isEqualTo("multicast");
        assertThat(json.readTree(send("GET", "/overcast/tree", null).body()).path("alive").asInt()).isEqualTo(2);

        // Napster: the index finds the peers' sample files (shared over its TCP protocol); peer 2 downloads from peer 1
        JsonNode found = json.readTree(send("GET", "/napster/search?q=beatles+yesterday", null).body());
        assertThat(found.path("count").asInt()).as(found.toString()).isEqualTo(1);
        assertThat(found.path("hits").path(0).path("nick").asString()).isEqualTo("peer1");
        String path = found.path("hits").path(0).path("path").asString();
        HttpResponse<String> download = LabScript.send("POST", "http://127.0.0.1:" + GATEWAY + "/napster/nodes/2/client/downloads",
                json.writeValueAsString(java.util.Map.of("nick", "peer1", "path", path)), "application/json");
        assertThat(download.statusCode()).as(download.body()).isEqualTo(202);
        String id = json.readTree(download.body()).path("id").asString();
        JsonNode done = await().atMost(Duration.ofSeconds(30)).until(
                () -> json.readTree(send("GET", "/napster/nodes/2/client/downloads/" + id, null).body()),
                d -> !d.path("state").asString().matches("requested|transferring"));
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("done");
        assertThat(done.path("bytes").asLong()).isEqualTo(found.path("hits").path(0).path("size").asLong());

        // Gnutella: servents 0 and 1 are ultrapeers, 2 and 3 leaves. The last leaf's search floods through its
        // ultrapeers: the text shared by the last ultrapeer (1) and the one shared by the other leaf (2) come back
        // along the reverse path; the leaf downloads the first from the ultrapeer's Gnutella port
        int leaf = GNUTELLA_SERVENTS - 1;
        HttpResponse<String> search = LabScript.send("POST", "http://127.0.0.1:" + GATEWAY + "/gnutella/nodes/" + leaf + "/searches",
                "{\"query\":\"gnutella protocol\"}", "application/json");
        assertThat(search.statusCode()).as(search.body()).isEqualTo(201);
        String searchId = json.readTree(search.body()).path("id").asString();
        assertThat(search.headers().firstValue("Location"))
                .hasValue("http://127.0.0.1:" + GATEWAY + "/gnutella/nodes/" + leaf + "/searches/" + searchId);
        JsonNode results = await().atMost(Duration.ofSeconds(30)).until(
                () -> json.readTree(send("GET", "/gnutella/nodes/" + leaf + "/searches/" + searchId, null).body()).path("results"),
                r -> r.size() >= 2);
        assertThat(results.valueStream().map(r -> r.path("name").asString() + " at " + r.path("peer").asString()))
                .containsExactlyInAnyOrder("Gnutella Protocol 0.6.txt at 127.0.0.1:" + LabScript.nodePort(GNUTELLA_WIRE, 1),
                        "Gnutella Protocol 0.4.txt at 127.0.0.1:" + LabScript.nodePort(GNUTELLA_WIRE, 2));
        JsonNode hit = results.valueStream().filter(r -> r.path("name").asString().endsWith("0.6.txt")).findFirst().orElseThrow();
        JsonNode otherLeaf = results.valueStream().filter(r -> r.path("name").asString().endsWith("0.4.txt")).findFirst().orElseThrow();
        assertThat(otherLeaf.path("hops").asInt()).as("the other leaf is one ultrapeer further than ultrapeer 1, a neighbour")
                .isEqualTo(hit.path("hops").asInt() + 1);
        HttpResponse<String> fetch = LabScript.send("POST", "http://127.0.0.1:" + GATEWAY + "/gnutella/nodes/" + leaf + "/downloads",
                json.writeValueAsString(java.util.Map.of("peer", hit.path("peer").asString(), "index", hit.path("index").asLong(),
                        "name", hit.path("name").asString())), "application/json");
        assertThat(fetch.statusCode()).as(fetch.body()).isEqualTo(202);
        String fetchId = json.readTree(fetch.body()).path("id").asString();
        JsonNode fetched = await().atMost(Duration.ofSeconds(30)).until(
                () -> json.readTree(send("GET", "/gnutella/nodes/" + leaf + "/downloads/" + fetchId, null).body()),
                d -> d.path("state").asString().matches("complete|failed"));
        assertThat(fetched.path("state").asString()).as(fetched.toString()).isEqualTo("complete");
        assertThat(fetched.path("bytes").asLong()).isEqualTo(hit.path("size").asLong());
        JsonNode gnutellaStats = json.readTree(send("GET", "/gnutella/stats", null).body());
        assertThat(gnutellaStats.path("ultrapeer").asBoolean()).isTrue();
        assertThat(gnutellaStats.path("messagesIn").path("query").asLong()).as(gnutellaStats.toString()).isPositive();

        JsonNode lookup = json.readTree(send("GET", "/chord/lookup/hello", null).body());
        assertThat(lookup.path("hops").isNumber()).as("lookup %s reports hops", lookup).isTrue();
        assertThat(lookup.path("hops").asInt()).isBetween(0, 2);

        JsonNode docs = json.readTree(send("GET", "/chord/v3/api-docs", null).body());
        assertThat(docs.path("servers").path(0).path("url").asString()).isEqualTo("http://127.0.0.1:" + GATEWAY + "/chord");
        JsonNode index = json.readTree(send("GET", "/", null).body());
        assertThat(index.path("systems").valueStream().filter(s -> s.path("name").asString().equals("chord"))
                .findFirst().orElseThrow().path("up").asBoolean()).isTrue();

        stop(jvms);

        // a second start reuses the data directory: the key is still there
        List<ProcessHandle> again = start();
        HttpResponse<String> reread = send("GET", "/chord/dht/hello", null);
        assertThat(reread.statusCode()).isEqualTo(200);
        assertThat(reread.body()).isEqualTo("world");
        assertRetrievable(publiusUrl);
        assertThat(send("GET", "/overcast/groups/lab/content/hello.txt", null).body()).as("the root keeps what was published")
                .isEqualTo("multicast");
        stop(again);
    }

    String publiusUrl;

    /** The document comes back through the gateway from another server's client. */
    void assertRetrievable(String url) throws Exception {
        HttpResponse<String> got = send("GET", "/publius/nodes/2/retrieve?url="
                + java.net.URLEncoder.encode(url, java.nio.charset.StandardCharsets.UTF_8), null);
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("uncensored");
    }

    /** Starts the lab, waits for "p2plab is up", returns the JVMs it started. */
    List<ProcessHandle> start() throws Exception {
        lab = new LabScript(data);
        lab.start("--chord-nodes", "2", "--can-nodes", "2", "--can-port", Integer.toString(CAN),
                "--publius-servers", "3", "--publius-port", Integer.toString(PUBLIUS),
                "--anycast-port", Integer.toString(ANYCAST), "--anycast-dns-port", Integer.toString(ANYCAST_DNS),
                "--overcast-nodes", "2", "--overcast-port", Integer.toString(OVERCAST),
                "--napster-peers", "2", "--napster-port", Integer.toString(NAPSTER), "--napster-tcp-port", Integer.toString(NAPSTER_TCP),
                "--gnutella-peers", Integer.toString(GNUTELLA_SERVENTS), "--gnutella-port", Integer.toString(GNUTELLA),
                "--gnutella-wire-port", Integer.toString(GNUTELLA_WIRE),
                "--gateway-port", Integer.toString(GATEWAY), "--chord-port", Integer.toString(CHORD),
                "--prometheus-port", Integer.toString(PROMETHEUS), "--scrape-interval", "1s");
        everything = lab.processes("java", "prometheus");
        if (WITH_PROMETHEUS) {
            assertThat(everything).as("the JVMs and Prometheus").hasSize(9);
        }
        return lab.processes("java");
    }

    /** {@code ./lab.sh stop}, then: the lab script and every JVM it started are gone, the ports are free. */
    void stop(List<ProcessHandle> jvms) throws Exception {
        lab.stop();
        for (ProcessHandle jvm : jvms) {
            assertThat(jvm.isAlive()).as("JVM %s after stop", jvm.info().commandLine().orElse("?")).isFalse();
        }
        for (ProcessHandle p : everything) {
            assertThat(p.isAlive()).as("%s after stop", p.info().commandLine().orElse("?")).isFalse();
        }
        for (int port : PORTS) {
            assertThat(LabScript.free(port)).as("port %d after stop", port).isTrue();
        }
        assertThat(Files.exists(data.resolve("lab.pid"))).isFalse();
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        // what curl -d sends
        return LabScript.send(method, "http://127.0.0.1:" + GATEWAY + path, body, "application/x-www-form-urlencoded");
    }

    @AfterEach
    void killLeftovers() {
        // only if an assertion failed half-way: nothing may outlive the test
        if (lab != null) {
            lab.close();
        }
    }
}
