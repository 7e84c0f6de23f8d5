package org.p2plab.anycast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.p2plab.anycast.LocalAnycastNodes.GROUP_IN_PATH;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Evidence 3 over loopback: one resolver, three content servers with artificial delays of 20,
 * 150 and 400 ms. After probes and pushes the resolver prefers the fast one; when the fast one
 * slows down, its pushes move the choice within seconds; dig through the DNS front-end answers
 * a member's address; a local resolver answers through the authoritative one.
 */
class AnycastHttpTest {

    private static final LocalAnycastNodes nodes = new LocalAnycastNodes();
    private static ConfigurableApplicationContext resolver;
    private static ConfigurableApplicationContext local;
    private static String fast;
    private static String medium;
    private static String slow;

    @BeforeAll
    static void start() {
        // probes only when a server registers: what moves the choice later is the pushes
        resolver = nodes.resolver("p2plab.anycast.domains=cc.gatech.edu", "p2plab.anycast.probe-interval=10m");
        fast = LocalAnycastNodes.url(nodes.content(resolver, "20ms"));
        medium = LocalAnycastNodes.url(nodes.content(resolver, "150ms"));
        slow = LocalAnycastNodes.url(nodes.content(resolver, "400ms"));
        local = nodes.resolver("p2plab.anycast.parent=" + LocalAnycastNodes.url(resolver), "p2plab.anycast.cache-ttl=1s");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(metrics()).hasSize(3).allSatisfy(m -> assertThat(m.path("estimateMillis").isNumber()).isTrue()));
        // the servers' first requests (the probe at registration) ran cold; a few requests bring their TUFR to the
        // delay, and a probe now measures them warm
        for (String s : List.of(fast, medium, slow)) {
            requests(s, 3);
        }
        assertThat(nodes.send("POST", LocalAnycastNodes.url(resolver) + "/groups/" + GROUP_IN_PATH + "/probe", null, null)
                .statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    private static JsonNode metrics() {
        return nodes.json(LocalAnycastNodes.url(resolver) + "/groups/" + GROUP_IN_PATH + "/metrics");
    }

    private static JsonNode member(String url) {
        for (JsonNode m : metrics()) {
            if (m.path("url").asString().equals(url)) {
                return m;
            }
        }
        throw new AssertionError("no member " + url);
    }

    private static String chosen(ConfigurableApplicationContext r) {
        return nodes.json(LocalAnycastNodes.url(r) + "/resolve/" + GROUP_IN_PATH).path("chosen").path("url").asString();
    }

    private static Set<String> choices(ConfigurableApplicationContext r, int queries) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < queries; i++) {
            seen.add(chosen(r));
        }
        return seen;
    }

    /** {@code n} concurrent requests for the server's content: its TUFR follows its delay. */
    private static void requests(String server, int n) {
        CompletableFuture.allOf(IntStream.range(0, n).mapToObj(i -> CompletableFuture.runAsync(() ->
                assertThat(nodes.get(server + "/content/").statusCode()).isEqualTo(200))).toArray(CompletableFuture[]::new)).join();
    }

    @Test
    void theResolverPrefersTheFastServerAndPushesMoveTheChoiceWhenItSlowsDown() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(choices(resolver, 30)).containsOnly(fast));
        JsonNode answer = nodes.json(LocalAnycastNodes.url(resolver) + "/resolve/" + GROUP_IN_PATH);
        assertThat(answer.path("equivalentSet")).hasSize(1);
        assertThat(answer.path("estimates").size()).isEqualTo(3);
        assertThat(answer.path("source").asString()).isEqualTo("local");
        String lastProbe = member(fast).path("lastProbe").asString();

        nodes.send("PUT", fast + "/server", "{\"artificialDelayMillis\": 700}".getBytes(StandardCharsets.UTF_8), "application/json");
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            requests(fast, 2);
            assertThat(choices(resolver, 10)).containsOnly(medium);
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        JsonNode slowed = member(fast);
        assertThat(slowed.path("lastProbe").asString()).as("no probe since: the pushes moved it").isEqualTo(lastProbe);
        assertThat(slowed.path("tufrMillis").asDouble()).isGreaterThan(150);
        assertThat(slowed.path("estimateMillis").asDouble()).isGreaterThan(member(medium).path("estimateMillis").asDouble());
        assertThat(nodes.json(fast + "/server").path("pushes").asLong()).isGreaterThanOrEqualTo(2);

        // back to fast: the choice follows again
        nodes.send("PUT", fast + "/server", "{\"artificialDelayMillis\": 20}".getBytes(StandardCharsets.UTF_8), "application/json");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            requests(fast, 2);
            assertThat(choices(resolver, 10)).containsOnly(fast);
        });
        // the other filters: round robin visits every member, the load metric chooses by TUFR alone
        assertThat(IntStream.range(0, 6).mapToObj(i -> nodes.json(LocalAnycastNodes.url(resolver) + "/resolve/" + GROUP_IN_PATH
                + "?filter=round-robin").path("chosen").path("url").asString()).distinct()).containsExactlyInAnyOrder(fast, medium, slow);
        assertThat(nodes.json(LocalAnycastNodes.url(resolver) + "/resolve/ServerLoad." + GROUP_IN_PATH).path("filters").get(0).asString())
                .isEqualTo("load");
    }

    @Test
    void digThroughTheDnsFrontEndAnswersAMembersAddressAndPort() throws Exception {
        Dig dig = Dig.required();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(choices(resolver, 10)).containsOnly(fast));
        int fastPort = java.net.URI.create(fast).getPort();
        int dns = LocalAnycastNodes.dnsPort(resolver);
        assertThat(dig.ask(dns, "daily-news.cc.gatech.edu.anycast.", "A", "+short")).isEqualTo("127.0.0.1");
        assertThat(dig.ask(dns, "daily-news.cc.gatech.edu.anycast.", "SRV", "+short", "+tcp")).isEqualTo("0 0 " + fastPort + " 127.0.0.1.");
        assertThat(dig.ask(dns, "weekly-news.cc.gatech.edu.anycast.", "A")).contains("status: NXDOMAIN");
        // through the local resolver, which asks the authoritative one
        assertThat(dig.ask(LocalAnycastNodes.dnsPort(local), "serverload.daily-news.cc.gatech.edu.anycast.", "SRV", "+short"))
                .isEqualTo("0 0 " + fastPort + " 127.0.0.1.");
    }

    @Test
    void aLocalResolverAsksTheAuthorityAndCachesTheGroup() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(choices(resolver, 10)).containsOnly(fast));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode first = nodes.json(LocalAnycastNodes.url(local) + "/resolve/" + GROUP_IN_PATH);
            assertThat(first.path("source").asString()).isEqualTo("authority"); // the 1 s cache TTL has run out
            assertThat(first.path("authority").asString()).isEqualTo(LocalAnycastNodes.url(resolver));
            assertThat(first.path("chosen").path("url").asString()).isEqualTo(fast);
            assertThat(nodes.json(LocalAnycastNodes.url(local) + "/resolve/" + GROUP_IN_PATH).path("source").asString()).isEqualTo("cache");
        });
        JsonNode groups = nodes.json(LocalAnycastNodes.url(local) + "/groups");
        assertThat(groups).singleElement().satisfies(g -> {
            assertThat(g.path("source").asString()).isEqualTo("cache");
            assertThat(g.path("members").asInt()).isEqualTo(3);
        });
    }
}
