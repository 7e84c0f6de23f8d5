package org.p2plab.support.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.support.testapp.TestApplication;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

/**
 * The peerRestClient against real sockets: a peer that never answers, a closed port, and this
 * application itself as a peer answering 2xx, 4xx and 5xx. Timeouts in the test config are short
 * (read 1s, connect 500ms), so nothing here takes long.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PeerCallsTest {

    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier(PeerHttpAutoConfiguration.PEER_REST_CLIENT)
    RestClient peerRestClient;

    @Autowired
    PeerHttpProperties properties;

    private String self() {
        return "http://127.0.0.1:" + port;
    }

    private Map<String, Object> get(String address, String path) {
        return PeerCalls.call(address, () -> peerRestClient.get().uri(address + path).retrieve().body(MAP));
    }

    private static java.util.List<Throwable> causes(Throwable e) {
        java.util.List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    @Test
    void propertiesAreBoundFromTheTestConfig() {
        assertThat(properties.readTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(properties.maxRequestSize().toBytes()).isEqualTo(4096);
    }

    @Test
    void answeringPeerReturnsTheBodyOverPlainHttp11() {
        Map<String, Object> body = get(self(), "/peer/protocol");
        assertThat(body).containsEntry("protocol", "HTTP/1.1").containsEntry("upgrade", "none");
    }

    @Test
    void silentPeerTimesOutQuicklyAsUnavailable() throws Exception {
        // the kernel completes the TCP handshake (backlog) but nobody ever reads or answers
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String address = "http://127.0.0.1:" + silent.getLocalPort();
            long start = System.nanoTime();
            assertThatThrownBy(() -> get(address, "/peer/ping"))
                    .isInstanceOfSatisfying(PeerUnavailableException.class, e -> {
                        assertThat(e.address()).isEqualTo(address);
                        assertThat(causes(e)).hasAtLeastOneElementOfType(HttpTimeoutException.class);
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void closedPortIsRefusedAsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String address = "http://127.0.0.1:" + closedPort;
        assertThatThrownBy(() -> get(address, "/peer/ping"))
                .isInstanceOfSatisfying(PeerUnavailableException.class, e -> {
                    assertThat(e.address()).isEqualTo(address);
                    assertThat(causes(e)).hasAtLeastOneElementOfType(ConnectException.class);
                });
    }

    @Test
    void peer4xxIsRejectedWithItsProblem() {
        assertThatThrownBy(() -> get(self(), "/keys/abc"))
                .isInstanceOfSatisfying(PeerRejectedException.class, e -> {
                    assertThat(e.address()).isEqualTo(self());
                    assertThat(e.status().value()).isEqualTo(404);
                    assertThat(e.kind()).contains("no-such-key");
                    assertThat(e.problem()).hasValueSatisfying(p -> {
                        assertThat(p.getDetail()).isEqualTo("No value is stored under key abc.");
                        assertThat(p.getProperties()).containsEntry("key", "abc");
                    });
                    assertThat(e.getMessage()).contains("404", "No value is stored under key abc.");
                });
    }

    @Test
    void peer5xxIsUnavailable() {
        assertThatThrownBy(() -> get(self(), "/peer/fail"))
                .isInstanceOfSatisfying(PeerUnavailableException.class,
                        e -> assertThat(e.getMessage()).startsWith("peer answered 500"));
        assertThatThrownBy(() -> get(self(), "/no-route"))
                .isInstanceOfSatisfying(PeerUnavailableException.class,
                        e -> assertThat(e.getMessage()).contains("503", "stabilization will repair the ring"));
    }

    @Test
    void runTranslatesToo() {
        assertThatThrownBy(() -> PeerCalls.run(self(), () -> peerRestClient.get().uri(self() + "/nope")
                .retrieve().toBodilessEntity()))
                .isInstanceOfSatisfying(PeerRejectedException.class, e -> assertThat(e.kind()).contains("not-found"));
    }

    @Test
    void otherExceptionsPassThrough() {
        IllegalStateException bug = new IllegalStateException("a bug in the caller");
        assertThatThrownBy(() -> PeerCalls.call("http://x", () -> {
            throw bug;
        })).isSameAs(bug);
    }
}
