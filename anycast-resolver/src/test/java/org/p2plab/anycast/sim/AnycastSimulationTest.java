package org.p2plab.anycast.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.p2plab.anycast.dns.DnsFrontEnd;
import org.p2plab.anycast.protocol.Adn;
import org.p2plab.anycast.protocol.Resolver;
import org.p2plab.anycast.protocol.ServerLoad;
import org.p2plab.overlay.sim.LatencyModel;

/**
 * The resolver and the content servers' push daemons, the service's own protocol classes, in the
 * deterministic simulator: probes and pushes steer the choice, a slowed server loses it by pushes
 * alone, dead servers are routed around, a restarted resolver is repopulated, and the resolver
 * hierarchy caches with a TTL.
 */
class AnycastSimulationTest {

    private static final Adn NEWS = Adn.parse("Daily-News%cc.gatech.edu");
    private static final String AUTHORITY = "http://resolver.cc.gatech.edu";
    private static final String FAST = "http://fast";
    private static final String MEDIUM = "http://medium";
    private static final String SLOW = "http://slow";

    private static Resolver.Params authority(Duration probeInterval) {
        return new Resolver.Params(List.of("cc.gatech.edu"), Map.of(), null, probeInterval, Duration.ofSeconds(30), 0.3);
    }

    private static ServerLoad.Settings delay(long millis) {
        return new ServerLoad.Settings(Duration.ofMillis(millis), 0);
    }

    /** One resolver, three servers 20/150/400 ms, each getting client requests every 200 ms. */
    private static AnycastSimulation threeServers(Duration probeInterval) {
        AnycastSimulation sim = new AnycastSimulation(7, LatencyModel.constant(Duration.ofMillis(10)), Duration.ofSeconds(1));
        sim.resolver(AUTHORITY, authority(probeInterval));
        sim.server(FAST, NEWS, AUTHORITY, 1, delay(20));
        sim.server(MEDIUM, NEWS, AUTHORITY, 1, delay(150));
        sim.server(SLOW, NEWS, AUTHORITY, 1, delay(400));
        for (String s : List.of(FAST, MEDIUM, SLOW)) {
            sim.clientLoad("client-" + s, s, Duration.ofMillis(200));
        }
        return sim;
    }

    private static Map<String, Integer> choices(Resolver r, Adn adn, int queries, String... filters) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < queries; i++) {
            counts.merge(r.resolve(adn, List.of(filters)).resolution().chosen().url(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void probesAndPushesMakeTheResolverPreferTheFastServer() {
        AnycastSimulation sim = threeServers(Duration.ofSeconds(10));
        sim.simulator().runFor(Duration.ofSeconds(20));
        Resolver resolver = resolverOf(sim);
        assertThat(resolver.group(NEWS).orElseThrow().members()).hasSize(3);
        Map<String, Double> estimates = resolver.resolve(NEWS, List.of()).resolution().estimates();
        assertThat(estimates).hasSize(3);
        // RT = the server's delay + a 20 ms round trip: the estimates order the servers as their delays do
        assertThat(choices(resolver, NEWS, 500)).containsOnlyKeys(FAST);
        assertThat(resolver.stats().probes()).isGreaterThanOrEqualTo(3);
        assertThat(resolver.stats().pushes()).isGreaterThanOrEqualTo(3);
        // the other filters still reach the others: random spreads over all three
        assertThat(choices(resolver, NEWS, 600, "random")).containsOnlyKeys(FAST, MEDIUM, SLOW);
    }

    @Test
    void whenTheFastServerSlowsDownPushesMoveTheChoiceWithinSecondsWithoutAProbe() {
        AnycastSimulation sim = threeServers(Duration.ofMinutes(10)); // only the probes at registration
        sim.simulator().runFor(Duration.ofSeconds(10));
        Resolver resolver = resolverOf(sim);
        assertThat(choices(resolver, NEWS, 200)).containsOnlyKeys(FAST);
        long probesBefore = resolver.stats().probes();

        sim.servers().get(FAST).load().settings(delay(900));
        Duration start = sim.simulator().now();
        boolean moved = sim.simulator().runUntil(() -> choices(resolver, NEWS, 50).keySet().equals(java.util.Set.of(MEDIUM)),
                Duration.ofSeconds(30), Duration.ofMillis(100));
        assertThat(moved).as("the choice moved to the medium server").isTrue();
        assertThat(sim.simulator().now().minus(start)).isLessThan(Duration.ofSeconds(5));
        assertThat(resolver.stats().probes()).as("no probe in between: pushes alone did it").isEqualTo(probesBefore);
    }

    @Test
    void theAnswerIsDrawnFromTheEquivalentServerSet() {
        AnycastSimulation sim = new AnycastSimulation(3, LatencyModel.constant(Duration.ofMillis(10)), Duration.ofSeconds(1));
        sim.resolver(AUTHORITY, authority(Duration.ofSeconds(10)));
        sim.server("http://a", NEWS, AUTHORITY, 1, delay(100));
        sim.server("http://b", NEWS, AUTHORITY, 1, delay(110));
        sim.server("http://c", NEWS, AUTHORITY, 1, delay(400));
        for (String s : List.of("http://a", "http://b", "http://c")) {
            sim.clientLoad("client-" + s, s, Duration.ofMillis(200));
        }
        sim.simulator().runFor(Duration.ofSeconds(20));
        Map<String, Integer> counts = choices(resolverOf(sim), NEWS, 1000);
        assertThat(counts).containsOnlyKeys("http://a", "http://b");
        assertThat(counts.get("http://a")).isBetween(350, 650);
    }

    @Test
    void aServerThatStopsAnsweringProbesIsLeftOutUntilItIsBack() {
        AnycastSimulation sim = threeServers(Duration.ofSeconds(4));
        sim.simulator().runFor(Duration.ofSeconds(10));
        Resolver resolver = resolverOf(sim);
        sim.simulator().setUp(FAST, false);
        sim.simulator().runFor(Duration.ofSeconds(15));
        assertThat(resolver.group(NEWS).orElseThrow().metrics().values())
                .filteredOn(m -> m.member().url().equals(FAST)).singleElement()
                .satisfies(m -> assertThat(m.reachable()).isFalse());
        assertThat(choices(resolver, NEWS, 300)).containsOnlyKeys(MEDIUM);
        assertThat(resolver.stats().failedProbes()).isPositive();

        sim.simulator().setUp(FAST, true);
        sim.clientLoad("client-again", FAST, Duration.ofMillis(200)); // its old client gave up with the node's timers
        sim.simulator().runFor(Duration.ofSeconds(15));
        assertThat(choices(resolver, NEWS, 300)).containsOnlyKeys(FAST);
    }

    @Test
    void aRestartedResolverHearsFromItsServersAgain() {
        AnycastSimulation sim = threeServers(Duration.ofSeconds(10));
        sim.simulator().runFor(Duration.ofSeconds(10));
        Resolver fresh = sim.restartResolver(AUTHORITY);
        assertThat(fresh.group(NEWS)).isEmpty();
        // an unchanged TUFR is pushed again after at most 10 push intervals; the push is refused; the server registers again
        boolean back = sim.simulator().runUntil(() -> fresh.group(NEWS).map(g -> g.members().size() == 3).orElse(false),
                Duration.ofSeconds(30), Duration.ofMillis(200));
        assertThat(back).isTrue();
        sim.simulator().runFor(Duration.ofSeconds(5));
        assertThat(choices(fresh, NEWS, 200)).containsOnlyKeys(FAST);
        assertThat(sim.servers().get(FAST).daemon().status().registrations()).isEqualTo(2);
    }

    @Test
    void aLocalResolverAsksTheAuthorityCachesForTheTtlAndAnswersStaleWhileTheAuthorityIsDown() {
        AnycastSimulation sim = threeServers(Duration.ofSeconds(10));
        String local = "http://resolver.local";
        Resolver l = sim.resolver(local, new Resolver.Params(List.of(), Map.of("gatech.edu", AUTHORITY), null,
                Duration.ofSeconds(10), Duration.ofSeconds(30), 0.3));
        sim.simulator().runFor(Duration.ofSeconds(10));

        Resolver.Answer first = l.resolve(NEWS, List.of());
        assertThat(first.source()).isEqualTo(Resolver.Source.AUTHORITY);
        assertThat(first.hops()).isEqualTo(1);
        assertThat(first.authority()).isEqualTo(AUTHORITY);
        assertThat(first.resolution().chosen().url()).isEqualTo(FAST);
        Resolver.Answer second = l.resolve(NEWS, List.of());
        assertThat(second.source()).isEqualTo(Resolver.Source.CACHE);
        assertThat(second.hops()).isZero();
        assertThat(l.resolve(Adn.parse("ServerLoad.Daily-News%cc.gatech.edu"), List.of()).source()).isEqualTo(Resolver.Source.CACHE);
        long fetches = l.stats().authorityFetches();

        sim.simulator().runFor(Duration.ofSeconds(31));
        assertThat(l.resolve(NEWS, List.of()).source()).as("after the TTL").isEqualTo(Resolver.Source.AUTHORITY);
        assertThat(l.stats().authorityFetches()).isEqualTo(fetches + 1);

        sim.simulator().setUp(AUTHORITY, false);
        sim.simulator().runFor(Duration.ofSeconds(31));
        Resolver.Answer stale = l.resolve(NEWS, List.of());
        assertThat(stale.source()).isEqualTo(Resolver.Source.STALE_CACHE);
        assertThat(stale.resolution().chosen().url()).isEqualTo(FAST);
        sim.simulator().runFor(Duration.ofSeconds(300));
        assertThatThrownBy(() -> l.resolve(NEWS, List.of())).isInstanceOf(Resolver.AuthorityUnavailableException.class);

        sim.simulator().setUp(AUTHORITY, true);
        assertThatThrownBy(() -> l.resolve(Adn.parse("Nope%cc.gatech.edu"), List.of()))
                .isInstanceOf(Resolver.UnknownGroupException.class).hasMessageContaining(AUTHORITY);
        assertThatThrownBy(() -> l.createGroup(Adn.parse("Other%cc.gatech.edu")))
                .isInstanceOf(Resolver.NotAuthoritativeException.class).hasMessageContaining(AUTHORITY);
        assertThatThrownBy(() -> l.resolve(NEWS, List.of("fastest")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown filter");
    }

    @Test
    void dnsNamesAreAnsweredLocallyAndThroughTheAuthority() {
        AnycastSimulation sim = threeServers(Duration.ofSeconds(10));
        Resolver l = sim.resolver("http://resolver.local", new Resolver.Params(List.of(), Map.of(), AUTHORITY,
                Duration.ofSeconds(10), Duration.ofSeconds(30), 0.3));
        sim.simulator().runFor(Duration.ofSeconds(10));
        DnsFrontEnd.Target fast = new DnsFrontEnd.Target("fast", 80);
        assertThat(resolverOf(sim).answerDns("daily-news.cc.gatech.edu.anycast.")).contains(fast);
        assertThat(l.answerDns("daily-news.cc.gatech.edu.anycast.")).as("through the parent").contains(fast);
        assertThat(l.answerDns("serverload.daily-news.cc.gatech.edu.anycast.")).as("a metric label").contains(fast);
        assertThat(l.answerDns("weekly-news.cc.gatech.edu.anycast.")).isEmpty();
        assertThat(l.answerDns("anycast.")).isEmpty();
    }

    private static Resolver resolverOf(AnycastSimulation sim) {
        return sim.resolvers().get(AUTHORITY);
    }
}
