package org.p2plab.overcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Linear roots (OSDI 2000, §4.4) over loopback: the top root, a linear root below it, and two
 * nodes below that. The top stays a chain (nodes never join the top root); content published at
 * the top flows through the chain; the linear root refuses publishes while the top lives; the top
 * root dies and the linear root takes over with the whole table: it accepts publishes, redirects
 * clients to live nodes, and the nodes receive the new content.
 */
class OvercastLinearRootsTest {

    static final Duration LEASE = Duration.ofSeconds(2);
    final LocalOvercastNodes nodes = new LocalOvercastNodes(LEASE.toMillis() + "ms");

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aLinearRootTakesOverWithTheWholeTableWhenTheRootAboveItDies() {
        ConfigurableApplicationContext top = nodes.root("4MB");
        String topUrl = LocalOvercastNodes.url(top);
        ConfigurableApplicationContext linear = nodes.root("4MB", "p2plab.overcast.upstream=" + topUrl);
        String linearUrl = LocalOvercastNodes.url(linear);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(OvercastHttpTest.parents(nodes.json(topUrl + "/tree"))).containsEntry(linearUrl, topUrl));
        String n1 = LocalOvercastNodes.url(nodes.node(linear, "4MB"));
        String n2 = LocalOvercastNodes.url(nodes.node(linear, "1MB"));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Map<String, String> parents = OvercastHttpTest.parents(nodes.json(topUrl + "/tree"));
            assertThat(parents).containsOnlyKeys(linearUrl, n1, n2);
            assertThat(parents.entrySet()).as("only the linear root is under the top root")
                    .allSatisfy(e -> assertThat(e.getValue().equals(topUrl)).isEqualTo(e.getKey().equals(linearUrl)));
            assertThat(OvercastHttpTest.parents(nodes.json(linearUrl + "/tree"))).as("the linear root's table").containsOnlyKeys(n1, n2);
        });
        JsonNode status = nodes.json(linearUrl + "/status");
        assertThat(status.path("linearRoot").asBoolean()).isTrue();
        assertThat(status.path("root").asString()).isEqualTo(topUrl);

        HttpResponse<byte[]> refused = publish(linearUrl, "early.txt", "too early");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("not-the-root").contains(topUrl);
        assertThat(publish(topUrl, "first.txt", "from the top").statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String n : List.of(linearUrl, n1, n2)) {
                assertThat(nodes.json(n + "/groups").toString()).as(n).contains("first.txt");
            }
        });

        // the top root dies: the linear root takes over once no root above it answers for a lease
        nodes.stop(top);
        await().atMost(LEASE.multipliedBy(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode s = nodes.json(linearUrl + "/status");
            assertThat(s.path("tookOver").asBoolean()).isTrue();
            assertThat(s.path("parent").isNull()).isTrue();
        });
        JsonNode tree = nodes.json(linearUrl + "/tree");
        assertThat(tree.path("isRoot").asBoolean()).isTrue();
        assertThat(OvercastHttpTest.parents(tree)).as("the whole table, still alive").containsOnlyKeys(n1, n2);
        assertThat(publish(linearUrl, "second.txt", "from the new root").statusCode()).isEqualTo(201);
        HttpResponse<byte[]> join = nodes.get(linearUrl + "/groups/lecture/join?name=second.txt");
        assertThat(join.statusCode()).isEqualTo(302);
        String location = join.headers().firstValue("Location").orElseThrow();
        assertThat(location).as("a live node").matches(l -> l.startsWith(n1 + "/") || l.startsWith(n2 + "/"));
        assertThat(new String(nodes.get(location).body(), StandardCharsets.UTF_8)).isEqualTo("from the new root");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String n : List.of(n1, n2)) {
                assertThat(nodes.json(n + "/groups").toString()).as(n).contains("second.txt");
            }
        });
    }

    HttpResponse<byte[]> publish(String root, String name, String body) {
        return nodes.send("POST", root + "/groups/lecture/content?name=" + name, body.getBytes(StandardCharsets.UTF_8), "text/plain");
    }
}
