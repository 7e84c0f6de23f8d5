package org.p2plab.chord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2plab.chord.protocol.ChordNode;
import org.p2plab.overlay.NodeId;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Optional tracing: with it on, one user lookup is one trace across nodes (the W3C
 * {@code traceparent} travels on the peer calls); with the defaults, nothing is traced.
 */
class ChordTracingTest {

    private final LocalChordNodes nodes = new LocalChordNodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aLookupIsOneTraceAcrossTheNodesItVisits() {
        String[] tracing = {"management.tracing.export.enabled=true",
                "management.opentelemetry.tracing.export.schedule-delay=100ms",
                "spring.main.sources=" + InMemorySpans.class.getName()};
        ConfigurableApplicationContext[] ab = twoNodesAndARemoteRead(tracing);
        ConfigurableApplicationContext a = ab[0];
        ConfigurableApplicationContext b = ab[1];

        InMemorySpanExporter spansA = a.getBean(InMemorySpanExporter.class);
        InMemorySpanExporter spansB = b.getBean(InMemorySpanExporter.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            SpanData request = spansA.getFinishedSpanItems().stream()
                    .filter(s -> s.getKind() == SpanKind.SERVER && s.getAttributes().asMap().toString().contains("/dht/"))
                    .findFirst().orElseThrow(() -> new AssertionError("no server span for GET /dht on A"));
            String trace = request.getTraceId();
            Set<String> clientSpansOfA = spansA.getFinishedSpanItems().stream()
                    .filter(s -> s.getKind() == SpanKind.CLIENT && s.getTraceId().equals(trace))
                    .map(SpanData::getSpanId).collect(Collectors.toSet());
            List<SpanData> onB = spansB.getFinishedSpanItems().stream()
                    .filter(s -> s.getKind() == SpanKind.SERVER && s.getTraceId().equals(trace)).toList();
            assertThat(clientSpansOfA).as("A's peer calls in the lookup's trace").isNotEmpty();
            assertThat(onB).as("B's server spans in the lookup's trace").isNotEmpty();
            assertThat(onB).allSatisfy(s -> assertThat(clientSpansOfA).contains(s.getParentSpanId()));
        });

        // metrics recorded inside those spans carry no exemplars: Prometheus 2.42 (the lab's)
        // rejects a whole OpenMetrics scrape with an exemplar on a _count series
        String openMetrics = new String(nodes.send("GET", LocalChordNodes.url(a) + "/actuator/prometheus", null, null,
                "application/openmetrics-text;version=1.0.0").body(), StandardCharsets.UTF_8);
        assertThat(openMetrics).contains("p2p_lookup_seconds_count").doesNotContain(" # {");
    }

    @Test
    void offByDefault() {
        String[] defaults = {"spring.main.sources=" + InMemorySpans.class.getName()};
        // peer traffic has been flowing all along (stabilize, pings, the read): none of it was traced
        for (ConfigurableApplicationContext node : twoNodesAndARemoteRead(defaults)) {
            assertThat(node.getBean(InMemorySpanExporter.class).getFinishedSpanItems()).isEmpty();
        }
    }

    /** Two nodes with these settings, a ring of two, then a read at A of a key B owns (never stored: 404). */
    private ConfigurableApplicationContext[] twoNodesAndARemoteRead(String... settings) {
        ConfigurableApplicationContext a = nodes.start(null, settings);
        ConfigurableApplicationContext b = nodes.start(LocalChordNodes.url(a), settings);
        awaitRingOfTwo(a, b);
        // A must ask B (ping, get), so the read crosses both nodes
        String key = keyOwnedBy(LocalChordNodes.node(b));
        assertThat(nodes.get(LocalChordNodes.url(a) + "/dht/" + key).statusCode()).isEqualTo(404);
        return new ConfigurableApplicationContext[] {a, b};
    }

    private static void awaitRingOfTwo(ConfigurableApplicationContext a, ConfigurableApplicationContext b) {
        ChordNode nodeA = LocalChordNodes.node(a);
        ChordNode nodeB = LocalChordNodes.node(b);
        await().atMost(Duration.ofSeconds(30)).until(() -> nodeA.successor().equals(nodeB.self())
                && nodeB.successor().equals(nodeA.self())
                && nodeA.predecessor().filter(nodeB.self()::equals).isPresent()
                && nodeB.predecessor().filter(nodeA.self()::equals).isPresent());
    }

    private static String keyOwnedBy(ChordNode owner) {
        for (int i = 0; ; i++) {
            String key = "traced-" + i;
            NodeId id = NodeId.hash(key);
            if (id.isBetweenOpenClosed(owner.predecessor().orElseThrow().id(), owner.self().id())) {
                return key;
            }
        }
    }

    /** An extra exporter: Boot's span processor sends every finished span to each SpanExporter bean. */
    @Configuration(proxyBeanMethods = false)
    static class InMemorySpans {
        @Bean
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }
}
