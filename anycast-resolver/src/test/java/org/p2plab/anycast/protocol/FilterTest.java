package org.p2plab.anycast.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Each filter, chains of them, and the random draw from the Equivalent Server set. */
class FilterTest {

    private static final Instant T = Instant.parse("2026-11-24T12:00:00Z");

    private static Candidate c(String id, double cost, Double estimate, Double tufr) {
        return new Candidate(id, "http://s" + id, cost, estimate == null ? OptionalDouble.empty() : OptionalDouble.of(estimate),
                tufr == null ? OptionalDouble.empty() : OptionalDouble.of(tufr));
    }

    private static Filter.Context context(double threshold) {
        return new Filter.Context(new SplittableRandom(8), new AtomicLong(), threshold);
    }

    private static final List<Candidate> FIVE = List.of(
            c("1", 5, 100.0, 10.0), c("2", 1, 105.0, 40.0), c("3", 1, 130.0, 11.0), c("4", 3, 400.0, 12.0), c("5", 9, null, null));

    @Test
    void responseTimeKeepsTheMembersWithinTheThresholdOfTheBest() {
        assertThat(Filter.RESPONSE_TIME.apply(FIVE, context(0.1))).extracting(Candidate::id).containsExactly("1", "2");
        assertThat(Filter.RESPONSE_TIME.apply(FIVE, context(0.3))).extracting(Candidate::id).containsExactly("1", "2", "3");
        assertThat(Filter.RESPONSE_TIME.apply(FIVE, context(0))).extracting(Candidate::id).containsExactly("1");
        // nobody probed yet: it cannot tell them apart
        List<Candidate> unknown = List.of(c("a", 1, null, null), c("b", 1, null, null));
        assertThat(Filter.RESPONSE_TIME.apply(unknown, context(0.1))).hasSize(2);
    }

    @Test
    void loadAndCostFilters() {
        assertThat(Filter.LOAD.apply(FIVE, context(0.15))).extracting(Candidate::id).containsExactly("1", "3");
        assertThat(new Filter.MinCost().apply(FIVE, context(0.1))).extracting(Candidate::id).containsExactly("2", "3");
    }

    @Test
    void roundRobinTakesTurns() {
        Filter.Context ctx = context(0.1);
        Filter rr = new Filter.RoundRobin();
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            order.append(rr.apply(FIVE, ctx).getFirst().id());
        }
        assertThat(order).hasToString("1234512345");
    }

    @Test
    void randomPicksEveryMemberAboutEquallyOften() {
        Filter.Context ctx = context(0.1);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(new Filter.RandomChoice().apply(FIVE, ctx).getFirst().id(), 1, Integer::sum);
        }
        assertThat(counts).hasSize(5);
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(1800, 2200));
    }

    @Test
    void theAnswerIsDrawnFromTheEquivalentSetEveryMemberOfItAndNothingElse() {
        Filter.Context ctx = context(0.3);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 6_000; i++) {
            Selection.Resolution r = Selection.select(FIVE, List.of(), ctx);
            assertThat(r.equivalentSet()).extracting(Candidate::id).containsExactly("1", "2", "3");
            counts.merge(r.chosen().id(), 1, Integer::sum);
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(1800, 2200));
    }

    @Test
    void filtersChainInTheOrderGiven() {
        // least cost first (2, 3), then the faster of those within 10%: 2
        Selection.Resolution r = Selection.select(FIVE, List.of(Filter.named("cost"), Filter.named("response-time")), context(0.1));
        assertThat(r.equivalentSet()).extracting(Candidate::id).containsExactly("2");
        assertThat(r.filters()).containsExactly("cost", "response-time");
        // fastest first (1, 2), then least cost of those: 2
        r = Selection.select(FIVE, List.of(Filter.named("ResponseTime"), Filter.named("cost")), context(0.1));
        assertThat(r.chosen().id()).isEqualTo("2");
        assertThat(r.estimates()).containsOnlyKeys("1", "2", "3", "4");
        // a Metric-Qualified ADN's metric names a filter
        assertThat(Filter.named("ServerLoad")).isEqualTo(Filter.LOAD);
        assertThat(Filter.named("round_robin")).isInstanceOf(Filter.RoundRobin.class);
        assertThatThrownBy(() -> Filter.named("fastest")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown filter");
    }

    @Test
    void aGroupCombinesMembersEstimatesAndFilters() {
        AnycastGroup g = new AnycastGroup(Adn.parse("ServerLoad.Daily-News%cc.gatech.edu"));
        assertThat(g.adn().metric()).isNull();
        AnycastGroup.Member a = g.add("http://a", 1);
        AnycastGroup.Member b = g.add("http://b", 1);
        AnycastGroup.Member c = g.add("http://c", 2);
        assertThat(g.add("http://c", 0.5).id()).as("the same URL: its cost updated").isEqualTo(c.id());
        assertThat(g.members()).hasSize(3);
        g.probe(a.id(), 100, 10, T);
        g.probe(b.id(), 400, 10, T);
        g.probe(c.id(), 120, 60, T);
        SplittableRandom random = new SplittableRandom(3);
        assertThat(g.resolve(List.of(), random, 0.25).equivalentSet()).extracting(Candidate::url)
                .containsExactlyInAnyOrder("http://a", "http://c");
        // a's server slows down: its pushes move the choice to c
        g.push(a.id(), 40, T.plusSeconds(1));           // estimate 10 × 40 = 400
        Selection.Resolution r = g.resolve(List.of(), random, 0.25);
        assertThat(r.chosen().url()).isEqualTo("http://c");
        assertThat(r.estimates()).containsEntry(a.id(), 400.0);
        assertThat(g.metrics().get(a.id()).lastPush()).isEqualTo(T.plusSeconds(1));
        assertThat(g.remove(c.id())).isTrue();
        assertThat(g.push(c.id(), 1, T)).isFalse();
        assertThatThrownBy(() -> g.add("http://d", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
