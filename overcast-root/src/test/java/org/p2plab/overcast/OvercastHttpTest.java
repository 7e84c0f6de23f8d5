package org.p2plab.overcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A root and six nodes over loopback, three fast and three slow (serving-rate limits): the tree
 * puts the fast nodes near the root and the slow ones at its edge; content published at the
 * root reaches every node intact; an interior node is killed and its children rejoin through
 * their ancestors within two lease periods, which the root's /tree shows with the death
 * certificate; a client redirected afterwards gets the content.
 */
class OvercastHttpTest {

    static final Duration LEASE = Duration.ofSeconds(4);
    static final String FAST = "4MB";
    static final String SLOW = "128KB";

    final LocalOvercastNodes nodes = new LocalOvercastNodes(LEASE.toMillis() + "ms");

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void theTreePutsFastNodesNearTheRootCarriesContentAndHealsAfterAnInteriorNodeDies() throws Exception {
        ConfigurableApplicationContext root = nodes.root("1MB");
        String rootUrl = LocalOvercastNodes.url(root);
        Map<String, ConfigurableApplicationContext> byUrl = new HashMap<>();
        List<String> fast = new ArrayList<>();
        List<String> slow = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            boolean isFast = i % 2 == 0;
            ConfigurableApplicationContext n = nodes.node(root, isFast ? FAST : SLOW);
            String url = LocalOvercastNodes.url(n);
            byUrl.put(url, n);
            (isFast ? fast : slow).add(url);
        }

        // the tree settles: every node alive in the root's table, the root's children fast, no node under a slow one
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode tree = nodes.json(rootUrl + "/tree");
            Map<String, String> parents = parents(tree);
            assertThat(parents).as("the root's table: %s; the nodes: %s", tree, statuses(byUrl.keySet()))
                    .containsOnlyKeys(byUrl.keySet());
            for (String n : byUrl.keySet()) {
                assertThat(nodes.json(n + "/status").path("parent").asString()).as("%s's own parent", n).isEqualTo(parents.get(n));
            }
            assertThat(parents.entrySet()).as("the root's children are fast nodes")
                    .allSatisfy(e -> assertThat(!e.getValue().equals(rootUrl) || fast.contains(e.getKey())).isTrue());
            assertThat(parents.values()).as("slow nodes are leaves").doesNotContainAnyElementsOf(slow);
        });
        JsonNode settled = nodes.json(rootUrl + "/tree");
        assertThat(settled.path("alive").asInt()).isEqualTo(6);
        assertThat(settled.path("dead").asInt()).isZero();

        // content published at the root reaches every node intact
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        HttpResponse<byte[]> published = nodes.send("POST", rootUrl + "/groups/lecture/content?name=intro.bin", content,
                "application/octet-stream");
        assertThat(published.statusCode()).as(new String(published.body())).isEqualTo(201);
        assertThat(LocalOvercastNodes.parse(published.body()).path("sha256").asString()).isEqualTo(sha);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            for (String n : byUrl.keySet()) {
                assertThat(nodes.json(n + "/groups").toString()).as("%s holds it", n).contains(sha);
            }
        });
        for (String n : byUrl.keySet()) {
            HttpResponse<byte[]> got = nodes.get(n + "/groups/lecture/content/intro.bin");
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).as("the bytes at %s", n).isEqualTo(content);
            assertThat(got.headers().firstValue("X-Overcast-Sha256")).hasValue(sha);
        }

        // an interior node dies: its children rejoin through their ancestors within two leases
        Map<String, String> before = parents(nodes.json(rootUrl + "/tree"));
        String victim = before.values().stream().filter(p -> !p.equals(rootUrl)).findFirst()
                .orElseThrow(() -> new AssertionError("no interior node below the root: " + before));
        Set<String> orphans = before.entrySet().stream().filter(e -> e.getValue().equals(victim)).map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toSet());
        nodes.stop(byUrl.remove(victim));
        long killed = System.nanoTime();
        await().atMost(LEASE.multipliedBy(2)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode tree = nodes.json(rootUrl + "/tree");
            JsonNode dead = node(tree, victim);
            assertThat(dead.path("status").asString()).isEqualTo("dead");
            assertThat(dead.path("lastCertificate").path("type").asString()).isEqualTo("DEATH");
            for (String o : orphans) {
                JsonNode e = node(tree, o);
                assertThat(e.path("parent").asString()).as("%s's new parent", o).isNotEqualTo(victim);
                assertThat(e.path("status").asString()).isEqualTo("alive");
                assertThat(e.path("reachable").asBoolean()).isTrue();
            }
            assertThat(tree.path("alive").asInt()).isEqualTo(5);
        });
        Duration healed = Duration.ofNanos(System.nanoTime() - killed);
        assertThat(healed).isLessThanOrEqualTo(LEASE.multipliedBy(2));
        JsonNode certificates = nodes.json(rootUrl + "/certificates?since=0");
        assertThat(certificates.path("certificates").valueStream()
                .anyMatch(c -> c.path("type").asString().equals("DEATH") && c.path("node").asString().equals(victim))).isTrue();

        // a client redirected now is sent to a live node, which has the content
        for (int i = 0; i < 5; i++) {
            HttpResponse<byte[]> join = nodes.get(rootUrl + "/groups/lecture/join?name=intro.bin");
            assertThat(join.statusCode()).isEqualTo(302);
            String location = join.headers().firstValue("Location").orElseThrow();
            assertThat(location).doesNotStartWith(victim).endsWith("/groups/lecture/content/intro.bin");
            HttpResponse<byte[]> got = nodes.get(location);
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).isEqualTo(content);
        }
    }

    /** Every node's own view (for a failure's message). */
    String statuses(Set<String> urls) {
        StringBuilder b = new StringBuilder();
        for (String u : urls) {
            var r = nodes.get(u + "/status");
            b.append('\n').append(r.statusCode()).append(' ').append(new String(r.body()));
        }
        return b.toString();
    }

    static Map<String, String> parents(JsonNode tree) {
        Map<String, String> parents = new HashMap<>();
        tree.path("nodes").forEach(n -> {
            if (n.path("reachable").asBoolean()) {
                parents.put(n.path("address").asString(), n.path("parent").asString());
            }
        });
        return parents;
    }

    static JsonNode node(JsonNode tree, String address) {
        for (JsonNode n : tree.path("nodes")) {
            if (n.path("address").asString().equals(address)) {
                return n;
            }
        }
        throw new AssertionError(address + " is not in the tree: " + tree);
    }
}
