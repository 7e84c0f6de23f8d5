package org.p2plab.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The chart, the image and the services cannot drift apart: chord-node, can-node, the Publius
 * servers, the anycast resolver and a content server, the Overcast root and a node, the Napster
 * index and a sharing peer, a Gnutella ultrapeer and a leaf, and the
 * gateway are started as their images would run them (the shared Dockerfile carried out on disk by
 * {@link ImageLayout}: layered extraction, working directory, entrypoint, env) with exactly the
 * arguments and environment the chart renders (pod DNS names mapped to loopback), and then every probe path the chart declares answers 200 on the container port it
 * declares, the scrape path the ServiceMonitor uses answers, and the arguments have their
 * effect: pod 0 advertises its stable name and creates the ring, its data lands in the data
 * directory, its metrics carry the pod name, and the gateway reaches the Chord Service and node
 * i through the node template.
 */
class ChartArgsIT {

    static final String NAMESPACE = "lab";
    static final String DOMAIN = "t-chord-node-headless." + NAMESPACE + ".svc";
    static final String CAN_DOMAIN = "t-can-node-headless." + NAMESPACE + ".svc";
    static final String PUBLIUS_DOMAIN = "t-publius-server-headless." + NAMESPACE + ".svc";
    static final String CONTENT_DOMAIN = "t-anycast-content-headless." + NAMESPACE + ".svc";
    static final String OVERCAST_DOMAIN = "t-overcast-node-headless." + NAMESPACE + ".svc";
    static final String NAPSTER_DOMAIN = "t-napster-peer-headless." + NAMESPACE + ".svc";
    static final String GNUTELLA_DOMAIN = "t-gnutella-ultrapeer-headless." + NAMESPACE + ".svc";
    static final String GNUTELLA_LEAF_DOMAIN = "t-gnutella-leaf-headless." + NAMESPACE + ".svc";

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    final ObjectMapper json = new ObjectMapper();
    final List<Process> started = new ArrayList<>();
    final Map<String, ImageLayout.Image> images = new HashMap<>();

    @TempDir
    Path data;

    @Test
    void theServicesRunWithTheChartsArgumentsPortsAndProbes() throws Exception {
        Assumptions.assumeTrue(Helm.find().isPresent(), "needs helm: scripts/install-helm.sh");
        HelmChartTest.findHelm();
        List<Map<String, Object>> objects = HelmChartTest.render("--namespace", NAMESPACE,
                "--set", "monitoring.create=true", "--set", "monitoring.prometheus.scrapeInterval=1s",
                "--set", "publius.replicas=3");
        Map<String, Object> chord = container(HelmChartTest.one(objects, "StatefulSet", "t-chord-node"));
        Map<String, Object> gateway = container(HelmChartTest.one(objects, "Deployment", "t-gateway"));
        Map<String, Object> can = container(HelmChartTest.one(objects, "StatefulSet", "t-can-node"));
        Map<String, Object> publius = container(HelmChartTest.one(objects, "StatefulSet", "t-publius-server"));

        // pod t-chord-node-0 on loopback: its stable name and container port become 127.0.0.1:<free port>
        int chordPort = containerPort(chord);
        int node0 = freePort();
        String node0Url = "http://127.0.0.1:" + node0;
        List<String> chordArgs = substitute(chord, a -> a
                .replace("http://$(POD_NAME)." + DOMAIN + ":" + chordPort, node0Url)
                .replace("http://t-chord-node-0." + DOMAIN + ":" + chordPort, node0Url)
                .replace("--server.port=" + chordPort, "--server.port=" + node0)
                .replace("--p2plab.chord.data-dir=/data", "--p2plab.chord.data-dir=" + data.resolve("chord-0")));
        assertThat(chordArgs).as("the chart sets the port it declares").contains("--server.port=" + node0);
        start("chord-node", chordArgs, env(chord, "t-chord-node-0"));
        String chordBase = node0Url;
        probesAnswer(chord, chordBase);

        JsonNode ring = json.readTree(get(chordBase + "/ring").body());
        assertThat(ring.path("address").asText()).as("advertised address").isEqualTo(node0Url);
        assertThat(ring.path("state").asText()).as("pod 0 is its own bootstrap: it creates the ring").isEqualTo("alone");
        assertThat(Files.exists(data.resolve("chord-0"))).as("the node's data directory").isTrue();
        HttpResponse<String> metrics = get(chordBase + "/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("instance=\"t-chord-node-0\"");

        // pod t-can-node-0 likewise: it creates the space
        int canPort = containerPort(can);
        int can0 = freePort();
        String can0Url = "http://127.0.0.1:" + can0;
        List<String> canArgs = substitute(can, a -> a
                .replace("http://$(POD_NAME)." + CAN_DOMAIN + ":" + canPort, can0Url)
                .replace("http://t-can-node-0." + CAN_DOMAIN + ":" + canPort, can0Url)
                .replace("--server.port=" + canPort, "--server.port=" + can0));
        assertThat(canArgs).contains("--server.port=" + can0);
        start("can-node", canArgs, env(can, "t-can-node-0"));
        probesAnswer(can, can0Url);
        JsonNode zone = json.readTree(get(can0Url + "/zone").body());
        assertThat(zone.path("address").asText()).as("advertised address").isEqualTo(can0Url);
        assertThat(zone.path("state").asText()).as("pod 0 is its own bootstrap: it creates the space").isEqualTo("member");
        assertThat(zone.path("volume").asDouble()).isEqualTo(1.0);
        assertThat(get(can0Url + "/actuator/prometheus").body()).contains("instance=\"t-can-node-0\"");

        // the Publius StatefulSet, rendered with 3 replicas: pods t-publius-server-0..2, each on its
        // own loopback port with its own data directory; every pod gets the same arguments, whose
        // static server list names all three pods, pod i at location i+1
        int publiusPort = containerPort(publius);
        List<Integer> pubPorts = List.of(freePort(), freePort(), freePort());
        int pub0 = pubPorts.getFirst();
        String pub0Url = "http://127.0.0.1:" + pub0;
        for (int pod = 0; pod < pubPorts.size(); pod++) {
            int own = pubPorts.get(pod);
            Path dir = data.resolve("publius-" + pod);
            List<String> publiusArgs = substitute(publius, a -> {
                String r = a.replace("--server.port=" + publiusPort, "--server.port=" + own)
                        .replace("--p2plab.publius.data-dir=/data", "--p2plab.publius.data-dir=" + dir);
                for (int i = 0; i < pubPorts.size(); i++) {
                    r = r.replace("http://t-publius-server-" + i + "." + PUBLIUS_DOMAIN + ":" + publiusPort,
                            "http://127.0.0.1:" + pubPorts.get(i));
                }
                return r;
            });
            assertThat(publiusArgs).contains("--server.port=" + own);
            start("publius-server", publiusArgs, env(publius, "t-publius-server-" + pod));
        }
        for (int port : pubPorts) {
            probesAnswer(publius, "http://127.0.0.1:" + port);
        }
        JsonNode servers = json.readTree(get(pub0Url + "/servers").body());
        assertThat(servers.path("m").asInt()).as("the chart's static list").isEqualTo(3);
        assertThat(servers.path("reachable").asInt()).isEqualTo(3);
        HttpResponse<String> published = http.send(HttpRequest.newBuilder(URI.create(pub0Url + "/publish"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("from the chart")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        assertThat(json.readTree(published.body()).path("n").asInt()).as("default n = min(10, m)").isEqualTo(3);
        long names = 0;
        for (int pod = 0; pod < pubPorts.size(); pod++) {
            try (var dirs = Files.list(data.resolve("publius-" + pod))) {
                names += dirs.filter(d -> d.getFileName().toString().matches("[0-9a-f]{16}")).count();
            }
        }
        assertThat(names).as("the name directories, in the pods' data directories").isEqualTo(3);
        assertThat(get(pub0Url + "/actuator/prometheus").body()).contains("instance=\"t-publius-server-0\"");

        // anycast: the resolver's pod, and content server pod 0 with $(POD_NAME) and $(POD_INDEX) as
        // Kubernetes expands them: it registers with the resolver's Service under its own stable name
        // and takes the first of the chart's replica delays
        Map<String, Object> resolver = container(HelmChartTest.one(objects, "Deployment", "t-anycast-resolver"));
        Map<String, Object> content = container(HelmChartTest.one(objects, "StatefulSet", "t-anycast-content"));
        int anycastPort = containerPort(resolver);
        int res = freePort();
        int dns = freePort();
        int content0 = freePort();
        String resUrl = "http://127.0.0.1:" + res;
        String content0Url = "http://127.0.0.1:" + content0;
        List<String> resolverArgs = substitute(resolver, a -> a.replace("--server.port=" + anycastPort, "--server.port=" + res)
                .replace("--p2plab.anycast.dns-port=5353", "--p2plab.anycast.dns-port=" + dns));
        assertThat(resolverArgs).contains("--p2plab.anycast.dns-port=" + dns);
        start("anycast-resolver", resolverArgs, env(resolver, "t-anycast-resolver-6c5d8-klmno"));
        List<String> contentArgs = substitute(content, a -> a
                .replace("http://$(POD_NAME)." + CONTENT_DOMAIN + ":" + anycastPort, content0Url)
                .replace("http://t-anycast-resolver:" + anycastPort, resUrl)
                .replace("$(POD_INDEX)", "0")
                .replace("--server.port=" + anycastPort, "--server.port=" + content0));
        start("anycast-resolver", contentArgs, env(content, "t-anycast-content-0"));
        probesAnswer(resolver, resUrl);
        probesAnswer(content, content0Url);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() ->
                assertThat(json.readTree(get(resUrl + "/groups/Daily-News%25cc.gatech.edu").body()).valueStream()
                        .map(m -> m.path("url").asText())).containsExactly(content0Url));
        JsonNode contentServer = json.readTree(get(content0Url + "/server").body());
        assertThat(contentServer.path("artificialDelayMillis").asLong()).as("replica 0's delay").isEqualTo(20);
        assertThat(contentServer.path("registered").asBoolean()).isTrue();
        JsonNode resolverInfo = json.readTree(get(resUrl + "/resolver").body());
        assertThat(resolverInfo.path("dnsPort").asInt()).isEqualTo(dns);
        assertThat(resolverInfo.path("domains").get(0).asText()).isEqualTo("cc.gatech.edu");
        assertThat(get(content0Url + "/actuator/prometheus").body()).contains("instance=\"t-anycast-content-0\"");

        // Overcast: the root's pod, and node pod 0 with $(POD_NAME) and $(POD_INDEX) as Kubernetes
        // expands them: it boots under the root's Service, which holds it in its table under its own
        // stable name; it takes the first of the chart's serving rates, and what is published at the
        // root lands in its data directory
        Map<String, Object> overcastRoot = container(HelmChartTest.one(objects, "Deployment", "t-overcast-root"));
        Map<String, Object> overcastNode = container(HelmChartTest.one(objects, "StatefulSet", "t-overcast-node"));
        int overcastPort = containerPort(overcastRoot);
        int ocRoot = freePort();
        int ocNode0 = freePort();
        String ocRootUrl = "http://127.0.0.1:" + ocRoot;
        String ocNode0Url = "http://127.0.0.1:" + ocNode0;
        Path ocRootDir = data.resolve("overcast-root");
        Path ocNode0Dir = data.resolve("overcast-node-0");
        List<String> ocRootArgs = substitute(overcastRoot, a -> a
                .replace("http://t-overcast-root:" + overcastPort, ocRootUrl)
                .replace("--server.port=" + overcastPort, "--server.port=" + ocRoot)
                .replace("--p2plab.overcast.data-dir=/tmp/overcast", "--p2plab.overcast.data-dir=" + ocRootDir));
        assertThat(ocRootArgs).contains("--p2plab.overcast.advertised-address=" + ocRootUrl,
                "--p2plab.overcast.data-dir=" + ocRootDir);
        start("overcast-root", ocRootArgs, env(overcastRoot, "t-overcast-root-7f6b9-pqrst"));
        List<String> ocNodeArgs = substitute(overcastNode, a -> a
                .replace("http://$(POD_NAME)." + OVERCAST_DOMAIN + ":" + overcastPort, ocNode0Url)
                .replace("http://t-overcast-root:" + overcastPort, ocRootUrl)
                .replace("$(POD_INDEX)", "0")
                .replace("--server.port=" + overcastPort, "--server.port=" + ocNode0)
                .replace("--p2plab.overcast.data-dir=/tmp/overcast", "--p2plab.overcast.data-dir=" + ocNode0Dir));
        assertThat(ocNodeArgs).contains("--p2plab.overcast.root=" + ocRootUrl, "--p2plab.overcast.replica-index=0");
        start("overcast-root", ocNodeArgs, env(overcastNode, "t-overcast-node-0"));
        probesAnswer(overcastRoot, ocRootUrl);
        probesAnswer(overcastNode, ocNode0Url);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> {
            JsonNode tree = json.readTree(get(ocRootUrl + "/tree").body());
            assertThat(tree.path("root").asText()).as("the root's advertised address").isEqualTo(ocRootUrl);
            assertThat(tree.path("nodes").valueStream().map(n -> n.path("address").asText() + " under "
                    + n.path("parent").asText() + " " + n.path("status").asText()))
                    .containsExactly(ocNode0Url + " under " + ocRootUrl + " alive");
        });
        assertThat(json.readTree(get(ocRootUrl + "/status").body()).path("servingRate").asLong())
                .as("the root's serving rate, 2MB").isEqualTo(2L << 20);
        JsonNode ocStatus = json.readTree(get(ocNode0Url + "/status").body());
        assertThat(ocStatus.path("servingRate").asLong()).as("replica 0's serving rate, 4MB").isEqualTo(4L << 20);
        assertThat(ocStatus.path("parent").asText()).isEqualTo(ocRootUrl);
        HttpResponse<String> ocPublished = http.send(HttpRequest.newBuilder(
                URI.create(ocRootUrl + "/groups/chart/content?name=hello.txt"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("from the chart")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ocPublished.statusCode()).as(ocPublished.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(ocNode0Dir.resolve("chart").resolve("hello.txt.data"))
                        .as("pulled from the root into the node's data directory").hasContent("from the chart"));
        assertThat(ocRootDir.resolve("chart").resolve("hello.txt.data")).hasContent("from the chart");
        assertThat(get(ocNode0Url + "/actuator/prometheus").body()).contains("instance=\"t-overcast-node-0\"");

        // Napster: the index's pod (REST and the Napster protocol on the ports it declares) and peer pod 0,
        // which logs in to the index's Service under its pod name and shares its directory; a file put
        // there is found at the index
        Map<String, Object> napsterIndex = container(HelmChartTest.one(objects, "Deployment", "t-index-service"));
        Map<String, Object> napsterPeer = container(HelmChartTest.one(objects, "StatefulSet", "t-napster-peer"));
        int napsterHttp = containerPort(napsterIndex);
        int napsterTcp = containerPort(napsterIndex, "napster");
        int napsterData = containerPort(napsterPeer, "napster-data");
        int nIndex = freePort();
        int nTcp = freePort();
        int nPeer0 = freePort();
        int nPeer0Data = freePort();
        String nIndexUrl = "http://127.0.0.1:" + nIndex;
        String nPeer0Url = "http://127.0.0.1:" + nPeer0;
        Path nShare = data.resolve("napster-peer-0-share");
        List<String> nIndexArgs = substitute(napsterIndex, a -> a
                .replace("--server.port=" + napsterHttp, "--server.port=" + nIndex)
                .replace("--p2plab.napster.port=" + napsterTcp, "--p2plab.napster.port=" + nTcp)
                .replace("--p2plab.napster.data-dir=/tmp/napster/db", "--p2plab.napster.data-dir=" + data.resolve("napster-index")));
        assertThat(nIndexArgs).contains("--p2plab.napster.role=index", "--p2plab.napster.port=" + nTcp);
        start("index-service", nIndexArgs, env(napsterIndex, "t-index-service-5f6d7-uvwxy"));
        List<String> nPeerArgs = substitute(napsterPeer, a -> a
                .replace("$(POD_NAME)", "t-napster-peer-0")
                .replace("--server.port=" + napsterHttp, "--server.port=" + nPeer0)
                .replace("--p2plab.napster.server=t-index-service:" + napsterTcp, "--p2plab.napster.server=127.0.0.1:" + nTcp)
                .replace("--p2plab.napster.peer.data-port=" + napsterData, "--p2plab.napster.peer.data-port=" + nPeer0Data)
                .replace("/tmp/napster/share", nShare.toString())
                .replace("/tmp/napster/downloads", data.resolve("napster-peer-0-downloads").toString())
                .replace("--p2plab.napster.data-dir=/tmp/napster/db", "--p2plab.napster.data-dir=" + data.resolve("napster-peer-0")));
        assertThat(nPeerArgs).contains("--p2plab.napster.role=peer", "--p2plab.napster.peer.nick=t-napster-peer-0");
        start("index-service", nPeerArgs, env(napsterPeer, "t-napster-peer-0"));
        probesAnswer(napsterIndex, nIndexUrl);
        probesAnswer(napsterPeer, nPeer0Url);
        Files.createDirectories(nShare);
        Files.writeString(nShare.resolve("from the chart.txt"), "from the chart");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            JsonNode hits = json.readTree(get(nIndexUrl + "/search?q=from+the+chart").body());
            assertThat(hits.path("hits").valueStream().map(h -> h.path("nick").asText() + ":" + h.path("dataPort").asInt()))
                    .containsExactly("t-napster-peer-0:" + nPeer0Data);
        });
        JsonNode nStats = json.readTree(get(nIndexUrl + "/stats").body());
        assertThat(nStats.path("napsterPort").asInt()).isEqualTo(nTcp);
        assertThat(get(nPeer0Url + "/actuator/prometheus").body()).contains("instance=\"t-napster-peer-0\"");

        // Gnutella: ultrapeer pod 0 and leaf pod 0, $(POD_IP) as Kubernetes expands it (loopback here),
        // the bootstrap ultrapeers' stable names mapped to their Gnutella ports: pod 0's to its own (which
        // it knows for itself), pod 1's to a port nobody listens on (that pod is not started). The leaf
        // connects to ultrapeer 0, finds the file shared there by a search, and downloads it over the
        // Gnutella port the chart declares
        Map<String, Object> ultrapeer = container(HelmChartTest.one(objects, "StatefulSet", "t-gnutella-ultrapeer"));
        Map<String, Object> leaf = container(HelmChartTest.one(objects, "StatefulSet", "t-gnutella-leaf"));
        int gnutellaHttp = containerPort(ultrapeer);
        int gnutellaWire = containerPort(ultrapeer, "gnutella");
        assertThat(containerPort(leaf, "gnutella")).isEqualTo(gnutellaWire);
        int gUp0 = freePort();
        int gUp0Wire = freePort();
        int gUp1Wire = freePort();
        int gLeaf0 = freePort();
        int gLeaf0Wire = freePort();
        String gUp0Url = "http://127.0.0.1:" + gUp0;
        String gLeaf0Url = "http://127.0.0.1:" + gLeaf0;
        Path gShare = data.resolve("gnutella-ultrapeer-0-shared");
        Path gLeafDownloads = data.resolve("gnutella-leaf-0-downloads");
        UnaryOperator<String> gnutellaNames = a -> a
                .replace("t-gnutella-ultrapeer-0." + GNUTELLA_DOMAIN + ":" + gnutellaWire, "127.0.0.1:" + gUp0Wire)
                .replace("t-gnutella-ultrapeer-1." + GNUTELLA_DOMAIN + ":" + gnutellaWire, "127.0.0.1:" + gUp1Wire)
                .replace("$(POD_IP)", "127.0.0.1");
        List<String> gUpArgs = substitute(ultrapeer, a -> gnutellaNames.apply(a)
                .replace("--server.port=" + gnutellaHttp, "--server.port=" + gUp0)
                .replace("--p2plab.gnutella.listen-port=" + gnutellaWire, "--p2plab.gnutella.listen-port=" + gUp0Wire)
                .replace("/tmp/gnutella/shared", gShare.toString())
                .replace("/tmp/gnutella/downloads", data.resolve("gnutella-ultrapeer-0-downloads").toString()));
        assertThat(gUpArgs).contains("--p2plab.gnutella.ultrapeer=true", "--p2plab.gnutella.advertised-host=127.0.0.1",
                "--p2plab.gnutella.listen-port=" + gUp0Wire, "--p2plab.gnutella.peers=127.0.0.1:" + gUp0Wire + ",127.0.0.1:" + gUp1Wire);
        Files.createDirectories(gShare);
        Files.writeString(gShare.resolve("from the chart.txt"), "from the chart, over Gnutella");
        start("gnutella-peer", gUpArgs, env(ultrapeer, "t-gnutella-ultrapeer-0"));
        List<String> gLeafArgs = substitute(leaf, a -> gnutellaNames.apply(a)
                .replace("--server.port=" + gnutellaHttp, "--server.port=" + gLeaf0)
                .replace("--p2plab.gnutella.listen-port=" + gnutellaWire, "--p2plab.gnutella.listen-port=" + gLeaf0Wire)
                .replace("/tmp/gnutella/shared", data.resolve("gnutella-leaf-0-shared").toString())
                .replace("/tmp/gnutella/downloads", gLeafDownloads.toString()));
        assertThat(gLeafArgs).contains("--p2plab.gnutella.ultrapeer=false", "--p2plab.gnutella.listen-port=" + gLeaf0Wire);
        start("gnutella-peer", gLeafArgs, env(leaf, "t-gnutella-leaf-0"));
        probesAnswer(ultrapeer, gUp0Url);
        probesAnswer(leaf, gLeaf0Url);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> {
            JsonNode leafStats = json.readTree(get(gLeaf0Url + "/stats").body());
            assertThat(leafStats.path("ultrapeer").asBoolean()).isFalse();
            assertThat(leafStats.path("ultrapeers").asInt()).as("the leaf's ultrapeer: bootstrap pod 0").isEqualTo(1);
            assertThat(json.readTree(get(gUp0Url + "/stats").body()).path("leaves").asInt()).isEqualTo(1);
        });
        JsonNode upStats = json.readTree(get(gUp0Url + "/stats").body());
        assertThat(upStats.path("listenAddress").asText()).as("the advertised pod IP and the Gnutella port")
                .isEqualTo("127.0.0.1:" + gUp0Wire);
        assertThat(upStats.path("sharedFiles").asInt()).isEqualTo(1);
        HttpResponse<String> gSearch = post(gLeaf0Url + "/searches", "{\"query\":\"from the chart\"}");
        assertThat(gSearch.statusCode()).as(gSearch.body()).isEqualTo(201);
        String gSearchId = json.readTree(gSearch.body()).path("id").asText();
        JsonNode gHit = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().until(
                () -> json.readTree(get(gLeaf0Url + "/searches/" + gSearchId).body()).path("results").path(0),
                r -> r.path("name").asText().equals("from the chart.txt"));
        assertThat(gHit.path("peer").asText()).as("the hit names the ultrapeer's IP and Gnutella port").isEqualTo("127.0.0.1:" + gUp0Wire);
        HttpResponse<String> gDownload = post(gLeaf0Url + "/downloads", json.writeValueAsString(Map.of("peer", gHit.path("peer").asText(),
                "index", gHit.path("index").asLong(), "name", gHit.path("name").asText())));
        assertThat(gDownload.statusCode()).as(gDownload.body()).isEqualTo(202);
        String gDownloadId = json.readTree(gDownload.body()).path("id").asText();
        JsonNode gDone = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().until(
                () -> json.readTree(get(gLeaf0Url + "/downloads/" + gDownloadId).body()),
                d -> d.path("state").asText().matches("complete|failed"));
        assertThat(gDone.path("state").asText()).as(gDone.toString()).isEqualTo("complete");
        assertThat(gLeafDownloads.resolve("from the chart.txt")).as("in the leaf's download directory")
                .hasContent("from the chart, over Gnutella");
        assertThat(get(gLeaf0Url + "/actuator/prometheus").body()).contains("instance=\"t-gnutella-leaf-0\"");

        // the gateway: the Chord Service becomes node 0's URL; the node template keeps its {i}:
        // 127.0.0.{i} makes node 1 the loopback address, where node 0 listens
        int gatewayPort = containerPort(gateway);
        int gw = freePort();
        List<String> gatewayArgs = substitute(gateway, a -> a
                .replace("http://t-chord-node:" + chordPort, node0Url)
                .replace("http://t-chord-node-{i}." + DOMAIN + ":" + chordPort, "http://127.0.0.{i}:" + node0)
                .replace("http://t-can-node:" + canPort, can0Url)
                .replace("http://t-can-node-{i}." + CAN_DOMAIN + ":" + canPort, "http://127.0.0.{i}:" + can0)
                .replace("http://t-publius-server:" + publiusPort, pub0Url)
                .replace("http://t-publius-server-{i}." + PUBLIUS_DOMAIN + ":" + publiusPort, "http://127.0.0.{i}:" + pub0)
                .replace("http://t-anycast-resolver:" + anycastPort, resUrl)
                .replace("http://t-anycast-content-{i}." + CONTENT_DOMAIN + ":" + anycastPort, "http://127.0.0.{i}:" + content0)
                .replace("http://t-overcast-root:" + overcastPort, ocRootUrl)
                .replace("http://t-overcast-node-{i}." + OVERCAST_DOMAIN + ":" + overcastPort, "http://127.0.0.{i}:" + ocNode0)
                .replace("http://t-index-service:" + napsterHttp, nIndexUrl)
                .replace("http://t-napster-peer-{i}." + NAPSTER_DOMAIN + ":" + napsterHttp, "http://127.0.0.{i}:" + nPeer0)
                // Gnutella's nodes are a list, ultrapeers first: every ultrapeer's name becomes ultrapeer 0, every leaf's leaf 0
                .replace("http://t-gnutella-ultrapeer:" + gnutellaHttp, gUp0Url)
                .replaceAll("http://t-gnutella-ultrapeer-[0-9]+\\." + java.util.regex.Pattern.quote(GNUTELLA_DOMAIN) + ":" + gnutellaHttp,
                        gUp0Url)
                .replaceAll("http://t-gnutella-leaf-[0-9]+\\." + java.util.regex.Pattern.quote(GNUTELLA_LEAF_DOMAIN) + ":" + gnutellaHttp,
                        gLeaf0Url)
                .replace("--server.port=" + gatewayPort, "--server.port=" + gw));
        assertThat(gatewayArgs).contains("--server.port=" + gw);
        start("gateway", gatewayArgs, env(gateway, "t-gateway-0"));
        String gatewayBase = "http://127.0.0.1:" + gw;
        probesAnswer(gateway, gatewayBase);

        JsonNode index = json.readTree(get(gatewayBase + "/").body());
        JsonNode system = index.path("systems").valueStream().filter(s -> s.path("name").asText().equals("chord"))
                .findFirst().orElseThrow();
        assertThat(system.path("nodes").asInt()).as("node-count").isEqualTo(4);
        assertThat(system.path("up").asBoolean()).isTrue();
        assertThat(json.readTree(get(gatewayBase + "/chord/ring").body()).path("address").asText()).isEqualTo(node0Url);
        assertThat(json.readTree(get(gatewayBase + "/chord/nodes/1/ring").body()).path("address").asText()).isEqualTo(node0Url);
        assertThat(json.readTree(get(gatewayBase + "/can/zone").body()).path("address").asText()).isEqualTo(can0Url);
        assertThat(json.readTree(get(gatewayBase + "/can/nodes/1/zone").body()).path("address").asText()).isEqualTo(can0Url);
        assertThat(json.readTree(get(gatewayBase + "/publius/servers").body()).path("reachable").asInt()).isEqualTo(3);
        assertThat(json.readTree(get(gatewayBase + "/publius/nodes/1/servers").body()).path("m").asInt()).isEqualTo(3);
        assertThat(json.readTree(get(gatewayBase + "/anycast/resolve/Daily-News%25cc.gatech.edu").body()).path("chosen")
                .path("url").asText()).isEqualTo(content0Url);
        assertThat(json.readTree(get(gatewayBase + "/anycast/nodes/1/server").body()).path("url").asText()).isEqualTo(content0Url);
        assertThat(json.readTree(get(gatewayBase + "/overcast/tree").body()).path("root").asText()).isEqualTo(ocRootUrl);
        assertThat(json.readTree(get(gatewayBase + "/overcast/nodes/1/status").body()).path("self").asText()).isEqualTo(ocNode0Url);
        assertThat(json.readTree(get(gatewayBase + "/napster/stats").body()).path("users").asInt()).isEqualTo(1);
        assertThat(json.readTree(get(gatewayBase + "/napster/nodes/1/client").body()).path("nick").asText()).isEqualTo("t-napster-peer-0");
        assertThat(json.readTree(get(gatewayBase + "/gnutella/stats").body()).path("listenAddress").asText())
                .isEqualTo("127.0.0.1:" + gUp0Wire);
        int firstLeaf = (Integer) HelmChartTest.get(HelmChartTest.one(objects, "StatefulSet", "t-gnutella-ultrapeer"), "spec", "replicas");
        assertThat(json.readTree(get(gatewayBase + "/gnutella/nodes/" + firstLeaf + "/stats").body()).path("listenAddress").asText())
                .as("the leaves come after the ultrapeers").isEqualTo("127.0.0.1:" + gLeaf0Wire);

        inChartPrometheusScrapesTheServicesLabelledForTheDashboards(objects, List.of(
                pod(HelmChartTest.one(objects, "StatefulSet", "t-chord-node"), "t-chord-node-0", "127.0.0.1:" + node0),
                pod(HelmChartTest.one(objects, "Deployment", "t-gateway"), "t-gateway-5d8f9c-x2x7q", "127.0.0.1:" + gw),
                pod(HelmChartTest.one(objects, "StatefulSet", "t-can-node"), "t-can-node-0", "127.0.0.1:" + can0),
                pod(HelmChartTest.one(objects, "StatefulSet", "t-publius-server"), "t-publius-server-0", "127.0.0.1:" + pub0),
                pod(HelmChartTest.one(objects, "Deployment", "t-anycast-resolver"), "t-anycast-resolver-6c5d8-klmno", "127.0.0.1:" + res),
                pod(HelmChartTest.one(objects, "StatefulSet", "t-anycast-content"), "t-anycast-content-0", "127.0.0.1:" + content0),
                pod(HelmChartTest.one(objects, "Deployment", "t-overcast-root"), "t-overcast-root-7f6b9-pqrst", "127.0.0.1:" + ocRoot),
                pod(HelmChartTest.one(objects, "StatefulSet", "t-overcast-node"), "t-overcast-node-0", "127.0.0.1:" + ocNode0),
                pod(HelmChartTest.one(objects, "Deployment", "t-index-service"), "t-index-service-5f6d7-uvwxy", "127.0.0.1:" + nIndex),
                pod(HelmChartTest.one(objects, "StatefulSet", "t-napster-peer"), "t-napster-peer-0", "127.0.0.1:" + nPeer0),
                pod(HelmChartTest.one(objects, "StatefulSet", "t-gnutella-ultrapeer"), "t-gnutella-ultrapeer-0", "127.0.0.1:" + gUp0),
                pod(HelmChartTest.one(objects, "StatefulSet", "t-gnutella-leaf"), "t-gnutella-leaf-0", "127.0.0.1:" + gLeaf0),
                pod(HelmChartTest.one(objects, "Deployment", "t-prometheus"), "t-prometheus-7c9d-abcde", "127.0.0.1:" + freePort()),
                pod(HelmChartTest.one(objects, "Deployment", "t-grafana"), "t-grafana-6b7f-fghij", "127.0.0.1:" + freePort())));
    }

    /**
     * monitoring.create: the chart's Prometheus configuration, run by a real Prometheus with the
     * pods above as what discovery finds ({@link InChartPrometheus}), scrapes the two services
     * and not the monitoring pods, and gives them the labels the dashboards select by.
     */
    void inChartPrometheusScrapesTheServicesLabelledForTheDashboards(List<Map<String, Object>> objects,
            List<InChartPrometheus.Pod> pods) throws Exception {
        Path binary = InChartPrometheus.binary();
        if (binary == null) {
            return; // locally without Prometheus; CI requires it (P2PLAB_REQUIRE_PROMETHEUS)
        }
        Map<String, Object> configMap = HelmChartTest.one(objects, "ConfigMap", "t-prometheus");
        String config = (String) HelmChartTest.map(configMap.get("data")).get("prometheus.yml");
        Path dir = Files.createDirectories(data.resolve("prometheus"));
        try (InChartPrometheus prometheus = InChartPrometheus.start(binary, config, NAMESPACE, pods, dir, freePort())) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
                JsonNode active = prometheus.api("/api/v1/targets?state=active").path("activeTargets");
                assertThat(active.valueStream().map(t -> t.path("labels").path("application").asText() + "/"
                        + t.path("labels").path("system").asText("") + "/" + t.path("health").asText()))
                        .as("the services only, labelled and up")
                        .containsExactlyInAnyOrder("chord-node/chord/up", "can-node/can/up", "publius-server/publius/up",
                                "anycast-resolver/anycast/up", "anycast-content/anycast/up", "overcast-root/overcast/up",
                                "overcast-node/overcast/up", "index-service/napster/up", "napster-peer/napster/up",
                                "gnutella-ultrapeer/gnutella/up", "gnutella-leaf/gnutella/up", "gateway//up");
            });
            JsonNode dropped = prometheus.api("/api/v1/targets?state=dropped").path("droppedTargets");
            assertThat(dropped.valueStream().map(t -> t.path("discoveredLabels").path("__meta_kubernetes_pod_name").asText()))
                    .as("the monitoring pods are not scraped").contains("t-prometheus-7c9d-abcde", "t-grafana-6b7f-fghij");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonNode up = prometheus.query("sum by (application) (up)");
                assertThat(up.valueStream().map(r -> r.path("metric").path("application").asText() + "=" + r.path("value").get(1).asText()))
                        .containsExactlyInAnyOrder("chord-node=1", "can-node=1", "publius-server=1", "anycast-resolver=1",
                                "anycast-content=1", "overcast-root=1", "overcast-node=1", "index-service=1", "napster-peer=1",
                                "gnutella-ultrapeer=1", "gnutella-leaf=1", "gateway=1");
                // honor_labels: the series keep the instance tag the pod sets (its name), as the dashboards expect
                JsonNode uptime = prometheus.query("process_uptime_seconds{application=\"chord-node\"}");
                assertThat(uptime.valueStream().map(r -> r.path("metric").path("instance").asText())).containsExactly("t-chord-node-0");
            });
        }
    }

    static InChartPrometheus.Pod pod(Map<String, Object> workload, String name, String address) {
        Map<String, Object> labels = HelmChartTest.map(HelmChartTest.get(workload, "spec", "template", "metadata", "labels"));
        Map<String, String> podLabels = new HashMap<>();
        labels.forEach((k, v) -> podLabels.put(k, String.valueOf(v)));
        Map<String, Object> port = HelmChartTest.map(((List<?>) container(workload).get("ports")).get(0));
        return new InChartPrometheus.Pod(name, podLabels, (String) port.get("name"), address);
    }

    /** startupProbe, livenessProbe and readinessProbe: each path answers 200 on the declared port. */
    void probesAnswer(Map<String, Object> container, String base) {
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Object port = HelmChartTest.get(container, probe, "httpGet", "port");
            assertThat(port).as("%s targets the container's http port", probe).isEqualTo("http");
            String path = (String) HelmChartTest.get(container, probe, "httpGet", "path");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(get(base + path).statusCode()).as("%s %s", probe, path).isEqualTo(200));
        }
    }

    /**
     * Starts a service the way its container would: the shared Dockerfile carried out for it
     * ({@link ImageLayout}), its entrypoint run in its working directory with the image's env
     * overlaid by the chart's env, and the chart's args.
     */
    void start(String service, List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        // one image per service, however many pods run it
        ImageLayout.Image image = images.get(service);
        if (image == null) {
            image = ImageLayout.read().build(Map.of("SERVICE", service, "JAR", ImageLayout.jar(service)),
                    data.resolve("image-" + service));
            images.put(service, image);
        }
        List<String> containerArgs = new ArrayList<>(args);
        containerArgs.add("--server.address=127.0.0.1");
        ProcessBuilder builder = new ProcessBuilder(image.command(containerArgs)).directory(image.workdir().toFile())
                .redirectErrorStream(true).redirectOutput(data.resolve(service + ".log").toFile());
        builder.environment().remove("CLASSPATH");
        builder.environment().putAll(image.env());
        builder.environment().putAll(env);
        started.add(builder.start());
    }

    /** The container's args with every $(VAR) and stable name mapped for loopback. */
    static List<String> substitute(Map<String, Object> container, UnaryOperator<String> mapping) {
        List<String> args = ((List<?>) container.get("args")).stream().map(String::valueOf).map(mapping).toList();
        assertThat(args).as("every pod DNS name is mapped").noneMatch(a -> a.contains(".svc") || a.contains("$("));
        return args;
    }

    /** The container's env, with $(POD_NAME) as Kubernetes would expand it for this pod. */
    static Map<String, String> env(Map<String, Object> container, String podName) {
        Map<String, String> env = new HashMap<>();
        for (Object e : (List<?>) container.get("env")) {
            Map<String, Object> var = HelmChartTest.map(e);
            if (var.get("value") != null) {
                env.put((String) var.get("name"), ((String) var.get("value")).replace("$(POD_NAME)", podName));
            }
        }
        env.put("POD_NAME", podName);
        assertThat(env).containsEntry("P2PLAB_INSTANCE", podName).containsKey("JAVA_TOOL_OPTIONS");
        return env;
    }

    static Map<String, Object> container(Map<String, Object> workload) {
        return HelmChartTest.map(((List<?>) HelmChartTest.get(workload, "spec", "template", "spec", "containers")).get(0));
    }

    static int containerPort(Map<String, Object> container) {
        Map<String, Object> port = HelmChartTest.map(((List<?>) container.get("ports")).get(0));
        assertThat(port.get("name")).isEqualTo("http");
        return (Integer) port.get("containerPort");
    }

    /** The container port with this name. */
    static int containerPort(Map<String, Object> container, String name) {
        return ((List<?>) container.get("ports")).stream().map(HelmChartTest::map).filter(p -> name.equals(p.get("name")))
                .map(p -> (Integer) p.get("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    HttpResponse<String> post(String url, String jsonBody) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
        }
        for (Process p : started) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
