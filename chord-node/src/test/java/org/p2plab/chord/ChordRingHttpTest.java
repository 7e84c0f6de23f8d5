package org.p2plab.chord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2plab.overlay.NodeId;
import org.p2plab.overlay.NodeRef;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Five real chord-node applications on loopback form a ring by joining; 500 keys put through
 * one are read through another, every owner agreeing with the sorted-ids oracle; two nodes stop
 * without leaving and every key is still readable once the ring has stabilized.
 */
class ChordRingHttpTest {

    private static final int KEYS = 500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalChordNodes nodes;
    private static final List<ConfigurableApplicationContext> ring = new ArrayList<>();

    @BeforeAll
    static void startRing() {
        nodes = new LocalChordNodes();
        ConfigurableApplicationContext first = nodes.start(null);
        ring.add(first);
        for (int i = 1; i < 5; i++) {
            ring.add(nodes.start(LocalChordNodes.url(first)));
        }
    }

    @AfterAll
    static void stopRing() {
        nodes.close();
    }

    @Test
    void ringFormsStoresReplicatesAndSurvivesTwoCrashes() throws Exception {
        awaitRingMatchesOracle(ring);

        String writer = LocalChordNodes.url(ring.get(0));
        for (int i = 0; i < KEYS; i++) {
            HttpResponse<byte[]> put = nodes.send("PUT", writer + "/dht/key-" + i,
                    ("value-" + i).getBytes(StandardCharsets.UTF_8), "text/plain");
            assertThat(put.statusCode()).as("put key-%d", i).isEqualTo(201);
            assertThat(put.headers().firstValue("X-P2P-Owner")).hasValue(oracleOwner(ring, "key-" + i));
        }
        HttpResponse<byte[]> replace = nodes.send("PUT", writer + "/dht/key-0", "value-0".getBytes(StandardCharsets.UTF_8),
                "text/plain");
        assertThat(replace.statusCode()).isEqualTo(204);

        String reader = LocalChordNodes.url(ring.get(3));
        for (int i = 0; i < KEYS; i++) {
            HttpResponse<byte[]> got = nodes.get(reader + "/dht/key-" + i);
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("value-" + i);
            assertThat(got.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
            assertThat(got.headers().firstValue("X-P2P-Owner")).hasValue(oracleOwner(ring, "key-" + i));
            int hops = Integer.parseInt(got.headers().firstValue("X-P2P-Hops").orElseThrow());
            assertThat(got.headers().firstValue("X-P2P-Path").orElseThrow().split(",")).hasSize(hops + 1)
                    .startsWith(reader);
        }
        JsonNode lookup = JSON.readTree(nodes.get(reader + "/lookup/key-7").body());
        assertThat(lookup.get("owner").get("address").asText()).isEqualTo(oracleOwner(ring, "key-7"));
        assertThat(lookup.get("keyId").asText()).isEqualTo(NodeId.hash("key-7").toHex());
        assertThat(lookup.get("path").size()).isEqualTo(lookup.get("hops").asInt() + 1);

        // every key on `replicas` (3) nodes
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (int i = 0; i < KEYS; i += 25) {
                String key = "key-" + i;
                long copies = ring.stream().filter(c -> LocalChordNodes.node(c).store().get(key).isPresent()).count();
                assertThat(copies).as("copies of %s", key).isEqualTo(3);
            }
        });

        // two nodes stop without leaving
        ConfigurableApplicationContext a = ring.get(1);
        ConfigurableApplicationContext b = ring.get(2);
        ring.remove(a);
        ring.remove(b);
        nodes.stop(a);
        nodes.stop(b);

        awaitRingMatchesOracle(ring);
        String survivor = LocalChordNodes.url(ring.get(2));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int i = 0; i < KEYS; i++) {
                HttpResponse<byte[]> got = nodes.get(survivor + "/dht/key-" + i);
                assertThat(got.statusCode()).as("key-%d after crashes", i).isEqualTo(200);
                assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("value-" + i);
                assertThat(got.headers().firstValue("X-P2P-Owner")).hasValue(oracleOwner(ring, "key-" + i));
            }
        });
    }

    private static void awaitRingMatchesOracle(List<ConfigurableApplicationContext> members) {
        List<NodeRef> sorted = members.stream().map(c -> LocalChordNodes.node(c).self())
                .sorted(Comparator.comparing(NodeRef::id)).toList();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (ConfigurableApplicationContext c : members) {
                JsonNode view = JSON.readTree(nodes.get(LocalChordNodes.url(c) + "/ring").body());
                int me = sorted.indexOf(LocalChordNodes.node(c).self());
                NodeRef succ = sorted.get((me + 1) % sorted.size());
                NodeRef pred = sorted.get((me - 1 + sorted.size()) % sorted.size());
                assertThat(view.path("successors").path(0).path("address").asText()).isEqualTo(succ.address());
                assertThat(view.path("predecessor").path("address").asText()).isEqualTo(pred.address());
                assertThat(view.path("state").asText()).isEqualTo("member");
                assertThat(view.get("fingers")).hasSize(160);
            }
        });
    }

    private static String oracleOwner(List<ConfigurableApplicationContext> members, String key) {
        NodeId id = NodeId.hash(key);
        List<NodeRef> sorted = members.stream().map(c -> LocalChordNodes.node(c).self())
                .sorted(Comparator.comparing(NodeRef::id)).toList();
        return sorted.stream().filter(n -> n.id().compareTo(id) >= 0).findFirst().orElse(sorted.getFirst()).address();
    }
}
