package org.p2plab.gateway.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2plab.gateway.lab.LabScript;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboards against real data: the lab (gateway, a 3-node Chord ring, a 3-node CAN space and
 * 3 Publius servers and the anycast resolvers and content servers with a JVM per node, its
 * Prometheus scraping every second) gets lookups of
 * every kind — found and not found through the gateway, and failed ones, made by freezing two of
 * the three nodes of each system (SIGSTOP: peers that vanish mid-call) while node 0 looks keys up
 * (Publius: retrieves a document; anycast: the local resolver asks the frozen authority; Overcast: a node
 * asks its frozen root for an item it lacks; Napster: a peer searches while the index is frozen, and
 * a REST sharer leaves while a download from it waits for its accept; Gnutella: searches with and
 * without hits, a download that completes and one from a port where no servent listens) — and then every
 * query of every panel and
 * every variable of every dashboard is evaluated through Prometheus's HTTP API. A query without
 * one finite value is a panel that would say "No data", and fails the test. Every metric the
 * dashboards name must also be exposed at {@code /actuator/prometheus} by the gateway or a node.
 */
class DashboardQueriesIT {

    static final int GATEWAY = 21080;
    static final int CHORD = 21086;
    static final int NODE1 = LabScript.nodePort(CHORD, 1);
    static final int NODE2 = LabScript.nodePort(CHORD, 2);
    static final int CAN = 21087;
    static final int CAN1 = LabScript.nodePort(CAN, 1);
    static final int CAN2 = LabScript.nodePort(CAN, 2);
    static final int PUBLIUS = 21083;
    static final int PUBLIUS1 = LabScript.nodePort(PUBLIUS, 1);
    static final int PUBLIUS2 = LabScript.nodePort(PUBLIUS, 2);
    static final int ANYCAST = 21084;
    static final int LOCAL_RESOLVER = LabScript.nodePort(ANYCAST, 4);
    static final int ANYCAST_DNS = 21053;
    static final List<Integer> ANYCAST_NODES = List.of(ANYCAST, LabScript.nodePort(ANYCAST, 1), LabScript.nodePort(ANYCAST, 2),
            LabScript.nodePort(ANYCAST, 3), LOCAL_RESOLVER);
    static final int PROMETHEUS = 21090;
    static final int OVERCAST = 21085;
    static final int OVERCAST1 = LabScript.nodePort(OVERCAST, 1);
    static final int NAPSTER = 21081;
    static final int NAPSTER1 = LabScript.nodePort(NAPSTER, 1);
    static final int NAPSTER2 = LabScript.nodePort(NAPSTER, 2);
    static final int NAPSTER_TCP = 21888;
    /** Gnutella: servents 0 and 1 ultrapeers, 2 and 3 leaves; the Gnutella ports from 21346. */
    static final int GNUTELLA = 21082;
    static final List<Integer> GNUTELLA_NODES = List.of(GNUTELLA, LabScript.nodePort(GNUTELLA, 1), LabScript.nodePort(GNUTELLA, 2),
            LabScript.nodePort(GNUTELLA, 3));
    static final int GNUTELLA_WIRE = 21346;
    static final List<Integer> GNUTELLA_WIRES = List.of(GNUTELLA_WIRE, LabScript.nodePort(GNUTELLA_WIRE, 1),
            LabScript.nodePort(GNUTELLA_WIRE, 2), LabScript.nodePort(GNUTELLA_WIRE, 3));
    /** Where no servent listens: downloads from it fail. */
    static final int GNUTELLA_NOBODY = 21999;
    /** The leaf the searches and downloads start from. */
    static final int GNUTELLA_LEAF = 3;
    /** What {@code $__rate_interval} becomes: Grafana makes it at least 4 scrape intervals; one minute spans the load below. */
    static final String RATE_INTERVAL = "1m";
    private static final Pattern METRIC = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[{\\[]");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*(\\w+)\\s*\\)");

    final JsonMapper json = JsonMapper.shared();

    @TempDir
    Path data;

    LabScript lab;
    volatile boolean loading;
    final List<String> publiusUrls = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** A well-formed URL whose names no server holds. */
    static final String NEWS = "Daily-News%25cc.gatech.edu";
    static final String ABSENT = "publius://1/k2n3/text%2Fplain/00000000000000ff.00000000000000fe.00000000000000fd";

    @Test
    void everyPanelAndVariableShowsDataAndEveryMetricExists() throws Exception {
        Assumptions.assumeTrue(LabScript.prometheusInstalled(), "needs the prometheus binary (apt-get install prometheus)");
        List<Integer> ports = new ArrayList<>(List.of(GATEWAY, CHORD, NODE1, NODE2, CAN, CAN1, CAN2, PUBLIUS, PUBLIUS1, PUBLIUS2,
                ANYCAST_DNS, ANYCAST_DNS + 1, PROMETHEUS, OVERCAST, OVERCAST1, NAPSTER, NAPSTER1, NAPSTER2, NAPSTER_TCP));
        ports.addAll(ANYCAST_NODES);
        ports.addAll(GNUTELLA_NODES);
        ports.addAll(GNUTELLA_WIRES);
        ports.add(GNUTELLA_NOBODY);
        for (int port : ports) {
            assertThat(LabScript.free(port)).as("port %d must be free for this test", port).isTrue();
        }
        lab = new LabScript(data);
        // a JVM per node, to freeze single nodes; but the Gnutella servents (whose failures come from a dead port,
        // not a frozen node) share one, so that 2 cores start the lab within its time
        lab.start("--jvm-per-node", "--one-jvm", "gnutella", "--chord-nodes", "3", "--can-nodes", "3", "--can-port", Integer.toString(CAN),
                "--publius-servers", "3", "--publius-port", Integer.toString(PUBLIUS),
                "--anycast-port", Integer.toString(ANYCAST), "--anycast-dns-port", Integer.toString(ANYCAST_DNS),
                "--overcast-port", Integer.toString(OVERCAST), "--overcast-nodes", "1",
                "--napster-port", Integer.toString(NAPSTER), "--napster-tcp-port", Integer.toString(NAPSTER_TCP), "--napster-peers", "2",
                "--gnutella-port", Integer.toString(GNUTELLA), "--gnutella-wire-port", Integer.toString(GNUTELLA_WIRE),
                "--gnutella-peers", Integer.toString(GNUTELLA_NODES.size()),
                "--gateway-port", Integer.toString(GATEWAY),
                "--chord-port", Integer.toString(CHORD), "--prometheus-port", Integer.toString(PROMETHEUS),
                "--scrape-interval", "1s");

        // found and not found, through the gateway
        for (int i = 0; i < 20; i++) {
            assertThat(send("PUT", gateway("/chord/dht/dash-" + i), "v" + i).statusCode()).isEqualTo(201);
            assertThat(send("GET", gateway("/chord/dht/dash-" + i), null).statusCode()).isEqualTo(200);
            assertThat(send("GET", gateway("/chord/nodes/" + (i % 3) + "/dht/absent-" + i), null).statusCode()).isEqualTo(404);
            assertThat(send("GET", gateway("/chord/lookup/dash-" + i), null).statusCode()).isEqualTo(200);
        }
        assertThat(send("DELETE", gateway("/chord/dht/dash-0"), null).statusCode()).isEqualTo(204);
        for (int i = 0; i < 20; i++) {
            assertThat(send("PUT", gateway("/can/dht/dash-" + i), "v" + i).statusCode()).isEqualTo(201);
            assertThat(send("GET", gateway("/can/dht/dash-" + i), null).statusCode()).isEqualTo(200);
            assertThat(send("GET", gateway("/can/nodes/" + (i % 3) + "/dht/absent-" + i), null).statusCode()).isEqualTo(404);
            assertThat(send("GET", gateway("/can/lookup/dash-" + i), null).statusCode()).isEqualTo(200);
        }
        assertThat(send("DELETE", gateway("/can/dht/dash-0"), null).statusCode()).isEqualTo(204);
        // Publius: publish, retrieve, update, delete; retrieve a document no server holds
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> published = send("POST", gateway("/publius/publish"), "doc " + i);
            assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
            JsonNode doc = json.readTree(published.body());
            publiusUrls.add(doc.path("url").asString());
            assertThat(status(gateway("/publius/nodes/" + (i % 3) + "/retrieve?url=" + encode(publiusUrls.get(i))))).isEqualTo(200);
            assertThat(status(gateway("/publius/retrieve?url=" + encode(ABSENT)))).isEqualTo(404);
        }
        HttpResponse<String> deleted = LabScript.send("POST", gateway("/publius/delete"), "{\"url\":\"" + publiusUrls.getLast()
                + "\",\"password\":\"wrong\"}", "application/json");
        assertThat(deleted.statusCode()).isEqualTo(403);

        // anycast: queries at the resolver and through the local resolver (fetched, then cached); an unknown group
        for (int i = 0; i < 10; i++) {
            assertThat(status(gateway("/anycast/resolve/" + NEWS))).isEqualTo(200);
            assertThat(status(gateway("/anycast/nodes/4/resolve/ServerLoad." + NEWS))).isEqualTo(200);
            assertThat(status(gateway("/anycast/resolve/Weekly-News%25cc.gatech.edu"))).isEqualTo(404);
        }
        // failed: the authoritative resolver freezes; the local resolver has no cache for these groups (503 authority-unavailable)
        failLookupsWhileFrozen(List.of(ANYCAST), "http://127.0.0.1:" + LOCAL_RESOLVER + "/resolve/Frozen-", i -> i + "%25cc.gatech.edu");

        // Overcast: publish at the root; joins found and not found; content at node 1, held and absent
        HttpResponse<String> cast = LabScript.send("POST", gateway("/overcast/groups/dash/content?name=a.txt"), "multicast",
                "application/octet-stream");
        assertThat(cast.statusCode()).as(cast.body()).isEqualTo(201);
        for (int i = 0; i < 10; i++) {
            assertThat(status(gateway("/overcast/groups/dash/join?name=a.txt"))).isEqualTo(302);
            assertThat(status(gateway("/overcast/groups/none/join"))).isEqualTo(404);
            assertThat(status(gateway("/overcast/nodes/1/groups/dash/content/a.txt"))).isEqualTo(200);
            assertThat(status(gateway("/overcast/nodes/1/groups/dash/content/absent-" + i))).isEqualTo(404);
        }
        // failed: the root freezes; node 1 lacks these items and cannot ask its parent for them (503 parent-unavailable)
        failLookupsWhileFrozen(List.of(OVERCAST), "http://127.0.0.1:" + OVERCAST1 + "/groups/dash/content/frozen-", i -> "" + i);

        // Napster: searches at the index and at peer 2 (ranked by ping), found and not found; peer 2 downloads from peer 1
        for (int i = 0; i < 10; i++) {
            assertThat(status(gateway("/napster/search?q=beatles"))).isEqualTo(200);
            assertThat(status(gateway("/napster/search?q=absent" + i))).isEqualTo(200);
            assertThat(status(gateway("/napster/nodes/2/client/search?q=beatles"))).isEqualTo(200);
            assertThat(status(gateway("/napster/nodes/2/client/search?q=absent" + i))).isEqualTo(200);
        }
        napsterDownload();
        napsterSharerLeavesMidRequest();
        // failed: the index freezes; peer 2's searches get no answer (503 index-unavailable)
        failLookupsWhileFrozen(List.of(NAPSTER), "http://127.0.0.1:" + NAPSTER2 + "/client/search?q=frozen", i -> "" + i);

        // Gnutella: the last leaf searches, with hits (found) and without (not_found); it downloads a hit (found)
        // and from a port where no servent listens (failed, at once: no servent GUID to push to)
        for (int i = 0; i < 5; i++) {
            gnutellaSearch("gnutella protocol", true);
            gnutellaSearch("absent" + i, false);
        }
        assertThat(gnutellaDownload(true)).isEqualTo("complete");
        assertThat(gnutellaDownload(false)).isEqualTo("failed");

        // failed: servers 1 and 2 freeze; server 0 alone holds fewer than k = 3 shares (503 not-enough-servers)
        failLookupsWhileFrozen(List.of(PUBLIUS1, PUBLIUS2), "http://127.0.0.1:" + PUBLIUS + "/retrieve?url=",
                i -> encode(publiusUrls.get(i % publiusUrls.size())));

        // failed: nodes 1 and 2 freeze; lookups started at node 0 cannot reach an owner (503 no-route)
        failLookupsWhileFrozen(List.of(NODE1, NODE2), "http://127.0.0.1:" + CHORD + "/lookup/frozen-", i -> "" + i);
        // and in CAN: keys whose points lie in the frozen nodes' zones (503 owner-unavailable)
        failLookupsWhileFrozen(List.of(CAN1, CAN2), "http://127.0.0.1:" + CAN + "/dht/frozen-", i -> "" + i);

        // steady load while the queries run, so that rates and quantiles are live
        loading = true;
        CompletableFuture<Void> load = CompletableFuture.runAsync(this::load, command -> Thread.ofVirtual().start(command));
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(queriesWithoutData()).as("queries that would show \"No data\"").isEmpty());
        }
        finally {
            loading = false;
            load.join();
        }

        Set<String> exposed = new TreeSet<>();
        List<Integer> nodes = new ArrayList<>(List.of(GATEWAY, CHORD, NODE1, NODE2, CAN, CAN1, CAN2, PUBLIUS, PUBLIUS1, PUBLIUS2));
        nodes.addAll(ANYCAST_NODES);
        nodes.addAll(List.of(OVERCAST, OVERCAST1, NAPSTER, NAPSTER1, NAPSTER2));
        nodes.addAll(GNUTELLA_NODES);
        for (int port : nodes) {
            exposed.addAll(metricNames(get("http://127.0.0.1:" + port + "/actuator/prometheus").body()));
        }
        Set<String> referenced = referencedMetrics();
        referenced.remove("up"); // Prometheus's own, per target
        assertThat(referenced).as("metrics the dashboards read").isNotEmpty();
        assertThat(exposed).as("metrics exposed by the gateway and the nodes").containsAll(referenced);
    }

    /** Peer 2 downloads a file of peer 1 (brokered by the index: found) and waits for it. */
    void napsterDownload() throws Exception {
        JsonNode hit = json.readTree(get(gateway("/napster/search?q=beatles+yesterday")).body()).path("hits").path(0);
        String body = json.writeValueAsString(Map.of("nick", hit.path("nick").asString(), "path", hit.path("path").asString()));
        HttpResponse<String> started = LabScript.send("POST", gateway("/napster/nodes/2/client/downloads"), body, "application/json");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = json.readTree(started.body()).path("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> json.readTree(get(gateway("/napster/nodes/2/client/downloads/" + id)).body())
                .path("state").asString(), s -> s.equals("done"));
    }

    /**
     * Failed downloads: a REST user shares a file; peer 2 asks for it; the index asks the sharer
     * (an upload-request event in its session); the sharer logs out before accepting: the
     * brokering fails (the index's "download" failed) and so does peer 2's download.
     */
    void napsterSharerLeavesMidRequest() throws Exception {
        HttpResponse<String> login = LabScript.send("POST", gateway("/napster/sessions"),
                "{\"nick\":\"leaver\",\"password\":\"pw\",\"dataPort\":6699}", "application/json");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(201);
        String token = json.readTree(login.body()).path("token").asString();
        HttpResponse<String> shared = LabScript.send("POST", gateway("/napster/users/leaver/shares"),
                "{\"path\":\"C:\\\\leaving soon.mp3\",\"size\":1000}", "application/json", "Authorization", "Bearer " + token);
        assertThat(shared.statusCode()).as(shared.body()).isEqualTo(201);
        assertThat(status(gateway("/napster/nodes/2/client/search?q=leaving+soon"))).isEqualTo(200);
        HttpResponse<String> started = LabScript.send("POST", gateway("/napster/nodes/2/client/downloads"),
                "{\"nick\":\"leaver\",\"path\":\"C:\\\\leaving soon.mp3\"}", "application/json");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> get(gateway("/napster/sessions/" + token + "/events?wait=2")).body(),
                events -> events.contains("upload-request"));
        assertThat(LabScript.send("DELETE", gateway("/napster/sessions/" + token), null, null).statusCode()).isEqualTo(204);
        String id = json.readTree(started.body()).path("id").asString();
        await().atMost(Duration.ofSeconds(10)).until(() -> json.readTree(get(gateway("/napster/nodes/2/client/downloads/" + id)).body())
                .path("state").asString(), s -> s.equals("failed"));
    }

    /**
     * A search from the last leaf through the gateway. With {@code hits}, it waits for the first
     * hit; then it stops the search (DELETE), so that it ends, and is recorded, within a second
     * rather than after its lifetime.
     */
    void gnutellaSearch(String query, boolean hits) throws Exception {
        String searches = "/gnutella/nodes/" + GNUTELLA_LEAF + "/searches";
        HttpResponse<String> started = LabScript.send("POST", gateway(searches), "{\"query\":\"" + query + "\"}", "application/json");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String id = json.readTree(started.body()).path("id").asString();
        if (hits) {
            await().atMost(Duration.ofSeconds(10)).until(() -> json.readTree(get(gateway(searches + "/" + id)).body()).path("count").asInt(),
                    n -> n > 0);
        }
        assertThat(LabScript.send("DELETE", gateway(searches + "/" + id), null, null).statusCode()).isEqualTo(204);
    }

    /**
     * The last leaf downloads the protocol text it finds at an ultrapeer (found), or asks a port
     * where no servent listens for it (failed); returns the download's final state.
     */
    String gnutellaDownload(boolean found) throws Exception {
        String peer = "127.0.0.1:" + GNUTELLA_NOBODY;
        long index = 1;
        String name = "nobody.txt";
        if (found) {
            String searches = "/gnutella/nodes/" + GNUTELLA_LEAF + "/searches";
            HttpResponse<String> started = LabScript.send("POST", gateway(searches), "{\"query\":\"gnutella protocol\"}",
                    "application/json");
            String id = json.readTree(started.body()).path("id").asString();
            JsonNode hit = await().atMost(Duration.ofSeconds(10)).until(
                    () -> json.readTree(get(gateway(searches + "/" + id)).body()).path("results").path(0), r -> r.has("peer"));
            LabScript.send("DELETE", gateway(searches + "/" + id), null, null);
            peer = hit.path("peer").asString();
            index = hit.path("index").asLong();
            name = hit.path("name").asString();
        }
        String body = json.writeValueAsString(Map.of("peer", peer, "index", index, "name", name));
        HttpResponse<String> started = LabScript.send("POST", gateway("/gnutella/nodes/" + GNUTELLA_LEAF + "/downloads"), body,
                "application/json");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = json.readTree(started.body()).path("id").asString();
        return await().atMost(Duration.ofSeconds(30)).until(() -> json.readTree(get(gateway("/gnutella/nodes/" + GNUTELLA_LEAF
                + "/downloads/" + id)).body()).path("state").asString(), s -> s.equals("complete") || s.equals("failed"));
    }

    /** SIGSTOP the nodes serving these ports, look keys up at node 0 until one fails, then SIGCONT them. */
    void failLookupsWhileFrozen(List<Integer> ports, String urlPrefix, java.util.function.IntFunction<String> suffix)
            throws Exception {
        List<ProcessHandle> frozen = ports.stream().map(lab::jvmServing).toList();
        frozen.forEach(p -> LabScript.sendSignal(p, "STOP"));
        try {
            List<CompletableFuture<Integer>> lookups = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String url = urlPrefix + suffix.apply(i);
                lookups.add(CompletableFuture.supplyAsync(() -> status(url), command -> Thread.ofVirtual().start(command)));
            }
            List<Integer> statuses = lookups.stream().map(CompletableFuture::join).toList();
            assertThat(statuses).as("lookups at node 0 while the others are frozen: %s", urlPrefix).contains(503);
        }
        finally {
            frozen.forEach(p -> LabScript.sendSignal(p, "CONT"));
        }
    }

    void load() {
        for (int i = 0; loading; i++) {
            status(gateway("/chord/dht/dash-" + (1 + i % 19)));
            status(gateway("/chord/dht/absent-" + i % 20));
            status(gateway("/chord/lookup/dash-" + i % 20));
            status(gateway("/can/dht/dash-" + (1 + i % 19)));
            status(gateway("/can/dht/absent-" + i % 20));
            status(gateway("/can/lookup/dash-" + i % 20));
            status(gateway("/publius/retrieve?url=" + encode(publiusUrls.get(i % 4))));
            status(gateway("/publius/retrieve?url=" + encode(ABSENT)));
            status(gateway("/anycast/resolve/" + NEWS));
            status(gateway("/anycast/nodes/4/resolve/" + NEWS));
            status(gateway("/anycast/nodes/" + (1 + i % 3) + "/content/"));
            status(gateway("/overcast/groups/dash/join?name=a.txt"));
            status(gateway("/overcast/nodes/1/groups/dash/content/a.txt"));
            status(gateway("/overcast/nodes/1/groups/dash/content/absent-" + i % 20));
            status(gateway("/napster/search?q=beatles"));
            status(gateway("/napster/search?q=absent" + i % 20));
            status(gateway("/napster/nodes/2/client/search?q=" + (i % 2 == 0 ? "beatles" : "absent")));
            try {
                // Gnutella: a search with hits and one without, each ended at once (their rates and quantiles stay live)
                gnutellaSearch("gnutella protocol", true);
                gnutellaSearch("absent" + i % 20, false);
            }
            catch (Exception | AssertionError e) {
                // the panels will say so
            }
            if (i % 10 == 0) { // a download now and then, so that the brokering's and the peers' rates and quantiles stay live
                try {
                    napsterDownload();
                }
                catch (Exception e) {
                    // the panels will say so
                }
                try {
                    gnutellaDownload(true);
                    gnutellaDownload(false);
                }
                catch (Exception | AssertionError e) {
                    // the panels will say so
                }
            }
        }
    }

    /** Every panel query and query variable that has no finite value right now, with where it is. */
    List<String> queriesWithoutData() throws Exception {
        List<String> empty = new ArrayList<>();
        for (JsonNode d : DashboardJsonTest.dashboards()) {
            String uid = d.path("uid").asText();
            for (JsonNode v : d.path("templating").path("list")) {
                if (v.path("type").asText().equals("query")) {
                    Matcher m = LABEL_VALUES.matcher(v.path("definition").asText());
                    assertThat(m.matches()).as("%s variable %s is label_values(metric, label)", uid, v.path("name")).isTrue();
                    JsonNode values = prometheus("/api/v1/label/" + m.group(2) + "/values?match[]=" + encode(m.group(1)));
                    if (values.path("data").isEmpty()) {
                        empty.add(uid + " variable " + v.path("name").asText() + ": " + m.group(0));
                    }
                }
            }
            for (JsonNode panel : DashboardJsonTest.panels(d)) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = resolve(target.path("expr").asText());
                    JsonNode answer = prometheus("/api/v1/query?query=" + encode(expr));
                    assertThat(answer.path("status").asText()).as("%s '%s': %s → %s", uid, panel.path("title").asText(), expr, answer)
                            .isEqualTo("success");
                    boolean finite = answer.path("data").path("result").valueStream()
                            .map(r -> r.path("value").path(1).asText())
                            .anyMatch(value -> Double.isFinite(Double.parseDouble(value)));
                    if (!finite) {
                        empty.add(uid + " '" + panel.path("title").asText() + "' " + target.path("refId").asText() + ": " + expr);
                    }
                }
            }
        }
        return empty;
    }

    /** The query as Grafana would send it with "All" selected in every variable. */
    static String resolve(String expr) {
        Map<String, String> values = new TreeMap<>(Map.of("__rate_interval", RATE_INTERVAL));
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), ".+")));
        }
        return m.appendTail(out).toString();
    }

    static Set<String> referencedMetrics() {
        Set<String> names = new TreeSet<>();
        for (JsonNode d : DashboardJsonTest.dashboards()) {
            for (JsonNode v : d.path("templating").path("list")) {
                Matcher m = LABEL_VALUES.matcher(v.path("definition").asText());
                if (m.matches()) {
                    names.add(m.group(1));
                }
            }
            for (JsonNode panel : DashboardJsonTest.panels(d)) {
                for (JsonNode target : panel.path("targets")) {
                    Matcher m = METRIC.matcher(target.path("expr").asText());
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
            }
        }
        return names;
    }

    /** Metric names in a Prometheus text exposition. */
    static Set<String> metricNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    JsonNode prometheus(String pathAndQuery) throws Exception {
        return json.readTree(get("http://127.0.0.1:" + PROMETHEUS + pathAndQuery).body());
    }

    static String gateway(String path) {
        return "http://127.0.0.1:" + GATEWAY + path;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    HttpResponse<String> get(String url) throws Exception {
        return LabScript.get(url);
    }

    HttpResponse<String> send(String method, String url, String body) throws Exception {
        return LabScript.send(method, url, body, "text/plain");
    }

    /** The status of a GET, or -1 when there was no answer. */
    int status(String url) {
        try {
            return get(url).statusCode();
        }
        catch (IOException e) {
            return -1;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stopTheLab() throws Exception {
        loading = false;
        if (lab != null) {
            try {
                lab.stop();
            }
            finally {
                lab.close();
            }
        }
    }
}
