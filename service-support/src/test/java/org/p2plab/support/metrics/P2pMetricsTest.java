package org.p2plab.support.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class P2pMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final P2pMetrics metrics = new P2pMetrics(registry);

    @Test
    void lookupRecordsTimerAndHopsWithTheConventionalTags() {
        metrics.recordLookup("chord", "get", P2pMetrics.FOUND, Duration.ofMillis(20), 4);
        metrics.recordLookup("chord", "get", P2pMetrics.FOUND, Duration.ofMillis(40), 6);
        metrics.recordLookup("chord", "get", P2pMetrics.NOT_FOUND, Duration.ofMillis(5), 2);

        Timer found = registry.get("p2p.lookup")
                .tags("system", "chord", "operation", "get", "outcome", "found").timer();
        assertThat(found.count()).isEqualTo(2);
        assertThat(found.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(60.0);
        assertThat(registry.get("p2p.lookup").tag("outcome", "not_found").timer().count()).isEqualTo(1);

        DistributionSummary hops = registry.get("p2p.lookup.hops").tag("system", "chord").summary();
        assertThat(hops.count()).isEqualTo(3);
        assertThat(hops.totalAmount()).isEqualTo(12.0);
        assertThat(hops.getId().getTags()).hasSize(1);
    }

    @Test
    void preparedSeriesExistAtZeroBeforeTheFirstLookup() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        P2pMetrics p2p = new P2pMetrics(prometheus);
        p2p.prepare("chord", "get", P2pMetrics.FOUND, P2pMetrics.NOT_FOUND, P2pMetrics.FAILED);
        String scrape = prometheus.scrape();
        assertThat(scrape).contains("p2p_lookup_seconds_count{operation=\"get\",outcome=\"failed\",system=\"chord\"} 0")
                .contains("p2p_lookup_seconds_count{operation=\"get\",outcome=\"not_found\",system=\"chord\"} 0")
                .contains("p2p_lookup_hops_count{system=\"chord\"} 0");
        p2p.recordLookup("chord", "get", P2pMetrics.FAILED, Duration.ofMillis(3), -1);
        assertThat(prometheus.scrape()).contains("p2p_lookup_seconds_count{operation=\"get\",outcome=\"failed\",system=\"chord\"} 1");
        assertThatIllegalArgumentException().isThrownBy(() -> p2p.prepare("chord", "get", "lost"));
    }

    @Test
    void unknownHopsAreNotRecorded() {
        metrics.recordLookup("can", "get", P2pMetrics.FAILED, Duration.ofMillis(3), -1);
        assertThat(registry.get("p2p.lookup").tag("outcome", "failed").timer().count()).isEqualTo(1);
        assertThat(registry.find("p2p.lookup.hops").summary()).isNull();
    }

    @Test
    void lookupAndHopsPublishPercentileHistogramsToPrometheus() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        P2pMetrics p2p = new P2pMetrics(prometheus);
        p2p.recordLookup("chord", "get", P2pMetrics.FOUND, Duration.ofMillis(7), 3);
        p2p.recordLookup("chord", "get", P2pMetrics.FOUND, Duration.ofMillis(1), 0);
        String scrape = prometheus.scrape();
        String found = "p2p_lookup_seconds_bucket{operation=\"get\",outcome=\"found\",system=\"chord\",";
        assertThat(scrape).contains(found + "le=\"1.0E-4\"} 0", found + "le=\"30.0\"} 2")
                .contains("p2p_lookup_hops_bucket{system=\"chord\",le=\"0.5\"} 1")
                .contains("p2p_lookup_hops_bucket{system=\"chord\",le=\"2.0\"} 1")
                .contains("p2p_lookup_hops_bucket{system=\"chord\",le=\"3.0\"} 2");
    }

    @Test
    void rejectsValuesTheDashboardsDoNotKnow() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> metrics.recordLookup("chord", "get", "ok", Duration.ZERO, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> metrics.message("chord", "ping", "sideways"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> metrics.recordLookup(" ", "get", P2pMetrics.FOUND, Duration.ZERO, 1));
    }

    @Test
    void messagesCountPerTypeAndDirection() {
        metrics.message("gnutella", "query", P2pMetrics.IN);
        metrics.message("gnutella", "query", P2pMetrics.IN);
        metrics.message("gnutella", "query", P2pMetrics.OUT);
        assertThat(registry.get("p2p.messages").tags("system", "gnutella", "type", "query", "direction", "in")
                .counter().count()).isEqualTo(2.0);
        assertThat(registry.get("p2p.messages").tags("direction", "out").counter().count()).isEqualTo(1.0);
    }

    @Test
    void gaugeReadsTheSupplierOnEveryRead() {
        AtomicInteger fingers = new AtomicInteger(3);
        metrics.gauge("p2p.chord.fingers", "chord", fingers::get);
        assertThat(registry.get("p2p.chord.fingers").tag("system", "chord").gauge().value()).isEqualTo(3.0);
        fingers.set(9);
        assertThat(registry.get("p2p.chord.fingers").gauge().value()).isEqualTo(9.0);
    }

    @Test
    void instanceTagIsConfiguredOrHostAndPort() {
        assertThat(P2pMetricsAutoConfiguration.instanceName(new MockEnvironment().withProperty("p2plab.instance", "chord-0")))
                .isEqualTo("chord-0");
        assertThat(P2pMetricsAutoConfiguration.instanceName(new MockEnvironment().withProperty("server.port", "8086")))
                .endsWith(":8086");
        assertThat(P2pMetricsAutoConfiguration.instanceName(new MockEnvironment())).endsWith(":8080");
        assertThat(P2pMetricsAutoConfiguration.instanceName(new MockEnvironment().withProperty("server.port", "0")))
                .endsWith(":pid" + ProcessHandle.current().pid());
    }
}
