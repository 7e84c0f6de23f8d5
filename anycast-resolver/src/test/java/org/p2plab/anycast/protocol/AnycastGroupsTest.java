package org.p2plab.anycast.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class AnycastGroupsTest {

    private static final Instant T = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void groupsByCaseInsensitiveAdnAndMetricQualifiedQueries() {
        AnycastGroups groups = new AnycastGroups(new SplittableRandom(1), 0.2);
        assertThat(groups.create(Adn.parse("Daily-News%cc.gatech.edu"))).isTrue();
        assertThat(groups.create(Adn.parse("daily-news%CC.gatech.edu"))).as("the same group").isFalse();
        AnycastGroup g = groups.group(Adn.parse("ResponseTime.DAILY-NEWS%cc.gatech.edu")).orElseThrow();
        AnycastGroup.Member fastButLoaded = g.add("http://a", 1);
        AnycastGroup.Member slowButIdle = g.add("http://b", 1);
        g.probe(fastButLoaded.id(), 100, 80, T);         // RT 100 ms, TUFR 80 ms: a short path to a busy server
        g.probe(slowButIdle.id(), 300, 5, T);            // RT 300 ms, TUFR 5 ms: a long path to an idle server

        assertThat(groups.resolve(Adn.parse("Daily-News%cc.gatech.edu"), List.of()).orElseThrow().chosen().url())
                .as("by response time").isEqualTo("http://a");
        assertThat(groups.resolve(Adn.parse("ServerLoad.Daily-News%cc.gatech.edu"), List.of()).orElseThrow().chosen().url())
                .as("a Metric-Qualified ADN: by server load").isEqualTo("http://b");
        assertThat(groups.resolve(Adn.parse("ServerLoad.Daily-News%cc.gatech.edu"), List.of()).orElseThrow().filters())
                .containsExactly("load");
        assertThat(groups.resolve(Adn.parse("Other%cc.gatech.edu"), List.of())).isEmpty();
        assertThatThrownBy(() -> groups.resolve(Adn.parse("Fastest.Daily-News%cc.gatech.edu"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);

        groups.create(Adn.parse("Empty%cc.gatech.edu"));
        assertThatThrownBy(() -> groups.resolve(Adn.parse("Empty%cc.gatech.edu"), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no members");
        assertThat(groups.all()).extracting(x -> x.adn().key()).containsExactly("daily-news%cc.gatech.edu", "empty%cc.gatech.edu");
        assertThat(groups.remove(Adn.parse("empty%cc.gatech.edu"))).isTrue();
        assertThatThrownBy(() -> new AnycastGroups(new SplittableRandom(1), -0.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
