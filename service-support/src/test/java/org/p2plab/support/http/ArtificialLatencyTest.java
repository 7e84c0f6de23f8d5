package org.p2plab.support.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.p2plab.support.testapp.TestApplication;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.web.client.RestClient;

/**
 * {@code p2plab.http.artificial-latency}: every peer call through the peerRestClient is held back
 * by the configured latency before it is sent (and a zero latency never waits).
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "p2plab.http.artificial-latency=300ms")
class ArtificialLatencyTest {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier(PeerHttpAutoConfiguration.PEER_REST_CLIENT)
    RestClient peerRestClient;

    @Autowired
    PeerHttpProperties properties;

    @Test
    void theConfiguredLatencyIsBound() {
        assertThat(properties.artificialLatency()).isEqualTo(Duration.ofMillis(300));
        assertThat(PeerHttpProperties.defaults().artificialLatency()).isZero();
    }

    @Test
    void everyPeerCallTakesAtLeastTheArtificialLatency() {
        String self = "http://127.0.0.1:" + port;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            String pong = PeerCalls.call(self, () -> peerRestClient.get().uri(self + "/peer/ping").retrieve().body(String.class));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(pong).contains("\"pong\":true");
            assertThat(took).as("call %d", i).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void theInterceptorPausesOncePerRequestAndOnlyWhenConfigured() throws Exception {
        List<Duration> pauses = new ArrayList<>();
        MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.POST, URI.create("http://peer/peer/ping"));
        ClientHttpResponse ok = new MockClientHttpResponse(new byte[0], 200);

        new ArtificialLatencyInterceptor(Duration.ofMillis(40), pauses::add).intercept(request, new byte[0], (r, b) -> ok);
        new ArtificialLatencyInterceptor(Duration.ofMillis(40), pauses::add).intercept(request, new byte[0], (r, b) -> ok);
        new ArtificialLatencyInterceptor(Duration.ZERO, pauses::add).intercept(request, new byte[0], (r, b) -> ok);
        assertThat(pauses).containsExactly(Duration.ofMillis(40), Duration.ofMillis(40));

        assertThatThrownBy(() -> new ArtificialLatencyInterceptor(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anInterruptedPauseFailsTheCallAndKeepsTheInterruptFlag() {
        MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.GET, URI.create("http://peer/peer/ping"));
        ArtificialLatencyInterceptor interrupted = new ArtificialLatencyInterceptor(Duration.ofMillis(40), d -> {
            throw new InterruptedException();
        });
        try {
            assertThatThrownBy(() -> interrupted.intercept(request, new byte[0], (r, b) -> {
                throw new AssertionError("must not be sent");
            })).isInstanceOf(InterruptedIOException.class).hasMessageContaining("http://peer/peer/ping");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        }
        finally {
            Thread.interrupted();
        }
    }
}
