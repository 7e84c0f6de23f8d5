package org.p2plab.can;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2plab.can.protocol.CanNode;
import org.p2plab.can.protocol.Point;
import org.p2plab.can.protocol.Zone;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Real can-node applications over loopback HTTP: five join one space; 300 keys put through one
 * node are read through another, each owner being the node whose zone holds the key's point;
 * one node crashes, a neighbour takes its zone over and its keys are still readable. While a
 * dead owner's zone is not taken over yet, a request for it is a quick 503 with Retry-After.
 */
class CanSpaceHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final LocalCanNodes nodes = new LocalCanNodes();

    @AfterEach
    void stopAll() {
        nodes.close();
    }

    private List<ConfigurableApplicationContext> space(int n, String... extra) {
        List<ConfigurableApplicationContext> all = new ArrayList<>();
        ConfigurableApplicationContext first = nodes.start(null, extra);
        all.add(first);
        for (int i = 1; i < n; i++) {
            all.add(nodes.start(LocalCanNodes.url(first), extra));
        }
        // everyone has joined and the zones partition the space
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(all).allMatch(c -> LocalCanNodes.node(c).isMember());
            assertThat(all.stream().mapToDouble(c -> LocalCanNodes.node(c).volume()).sum()).isEqualTo(1.0);
        });
        return all;
    }

    private static String owner(List<ConfigurableApplicationContext> live, Point p) {
        return live.stream().filter(c -> LocalCanNodes.node(c).zones().stream().anyMatch(z -> z.contains(p)))
                .map(LocalCanNodes::url).findFirst().orElseThrow();
    }

    @Test
    void fiveNodesStoreThreeHundredKeysAndSurviveACrash() throws Exception {
        List<ConfigurableApplicationContext> live = space(5);
        String writer = LocalCanNodes.url(live.get(0));
        for (int i = 0; i < 300; i++) {
            HttpResponse<byte[]> put = nodes.send("PUT", writer + "/dht/key-" + i, ("value-" + i).getBytes(StandardCharsets.UTF_8),
                    "text/plain");
            assertThat(put.statusCode()).as("put key-%d", i).isEqualTo(201);
            assertThat(put.headers().firstValue("X-P2P-Owner")).hasValue(owner(live, Point.ofKey("key-" + i, 2)));
        }
        String reader = LocalCanNodes.url(live.get(3));
        for (int i = 0; i < 300; i++) {
            HttpResponse<byte[]> got = nodes.get(reader + "/dht/key-" + i);
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("value-" + i);
            int hops = Integer.parseInt(got.headers().firstValue("X-P2P-Hops").orElseThrow());
            assertThat(got.headers().firstValue("X-P2P-Path").orElseThrow().split(",")).hasSize(hops + 1).startsWith(reader);
        }
        JsonNode lookup = JSON.readTree(nodes.get(reader + "/lookup/key-7").body());
        assertThat(lookup.path("owner").asText()).isEqualTo(owner(live, Point.ofKey("key-7", 2)));
        assertThat(lookup.path("point").size()).isEqualTo(2);
        assertThat(lookup.path("path").size()).isEqualTo(lookup.path("hops").asInt() + 1);
        JsonNode space = JSON.readTree(nodes.get(reader + "/space").body());
        assertThat(space.path("nodes").asInt()).isEqualTo(5);
        assertThat(space.path("complete").asBoolean()).isTrue();
        JsonNode zone = JSON.readTree(nodes.get(reader + "/zone").body());
        assertThat(zone.path("state").asText()).isEqualTo("member");
        assertThat(zone.path("neighbours").size()).isPositive();

        // a node crashes (no leave): a neighbour takes its zone over, every key is still there
        ConfigurableApplicationContext victim = live.get(2);
        nodes.stop(victim);
        live.remove(victim);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(live.stream().mapToDouble(c -> LocalCanNodes.node(c).volume()).sum()).isEqualTo(1.0));
        // at least the victim's zone was taken over; on a starved CI machine a live neighbour that
        // stalled past the timeout can be suspected too (a timeout detector's false positive),
        // which the space also survives: the keys below are still read from their owners
        assertThat(live.stream().mapToLong(c -> LocalCanNodes.node(c).takeovers()).sum()).isGreaterThanOrEqualTo(1);
        // until every live node has heard of the takeover (updates every 200 ms), a route may still
        // end at the dead node: that read is a 503 owner-unavailable with Retry-After, as the next
        // test checks. The reads below are made once no live node lists the dead one any more.
        String dead = LocalCanNodes.url(victim);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(live).allSatisfy(c -> assertThat(LocalCanNodes.node(c).neighbours())
                        .noneMatch(n -> n.node().address().equals(dead))));
        for (int i = 0; i < 300; i++) {
            HttpResponse<byte[]> got = nodes.get(reader + "/dht/key-" + i);
            assertThat(got.statusCode()).as("key-%d after the crash", i).isEqualTo(200);
            assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("value-" + i);
            assertThat(got.headers().firstValue("X-P2P-Owner")).hasValue(owner(live, Point.ofKey("key-" + i, 2)));
        }
    }

    @Test
    void aDeadOwnersZoneIsAQuick503WithRetryAfterUntilTakenOver() throws Exception {
        // slow failure detection: the window before the takeover is wide
        List<ConfigurableApplicationContext> live = space(3, "p2plab.can.neighbour-timeout=60s");
        ConfigurableApplicationContext victim = live.get(1);
        CanNode dead = LocalCanNodes.node(victim);
        Zone deadZone = dead.zones().getFirst();
        String key = null;
        for (int i = 0; key == null; i++) {
            if (deadZone.contains(Point.ofKey("k" + i, 2))) {
                key = "k" + i;
            }
        }
        String asker = LocalCanNodes.url(live.get(0));
        assertThat(nodes.send("PUT", asker + "/dht/" + key, "v".getBytes(StandardCharsets.UTF_8), "text/plain").statusCode()).isEqualTo(201);
        nodes.stop(victim);

        long start = System.nanoTime();
        HttpResponse<byte[]> got = nodes.get(asker + "/dht/" + key);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no hang").isLessThan(Duration.ofSeconds(10));
        assertThat(got.statusCode()).isEqualTo(503);
        assertThat(got.headers().firstValue("Retry-After")).isPresent();
        JsonNode problem = JSON.readTree(got.body());
        assertThat(problem.path("type").asText()).isEqualTo("urn:p2plab:problem:owner-unavailable");
        assertThat(got.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        // other keys, owned by live nodes, still work
        String otherKey = null;
        for (int i = 0; otherKey == null; i++) {
            if (!deadZone.contains(Point.ofKey("o" + i, 2))) {
                otherKey = "o" + i;
            }
        }
        assertThat(nodes.send("PUT", asker + "/dht/" + otherKey, "v".getBytes(StandardCharsets.UTF_8), "text/plain").statusCode())
                .isEqualTo(201);
    }
}
