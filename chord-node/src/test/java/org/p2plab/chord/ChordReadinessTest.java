package org.p2plab.chord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Readiness means "in a ring": a node whose bootstrap does not answer is alive but not ready
 * (Kubernetes keeps it out of the Service and does not restart it); it becomes ready once it
 * has joined. A node that creates a ring is ready at once.
 */
class ChordReadinessTest {

    private final LocalChordNodes nodes = new LocalChordNodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void readyOnlyOnceJoinedAliveThroughout() throws IOException {
        ConfigurableApplicationContext first = nodes.start(null);
        assertThat(status(first, "readiness")).isEqualTo(200);

        int silent = freePort(); // nothing listens there: the bootstrap is down
        ConfigurableApplicationContext waiting = nodes.start("http://127.0.0.1:" + silent);
        HttpResponse<byte[]> readiness = nodes.get(LocalChordNodes.url(waiting) + "/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(new String(readiness.body(), StandardCharsets.UTF_8)).contains("OUT_OF_SERVICE");
        assertThat(status(waiting, "liveness")).isEqualTo(200);
        String health = new String(nodes.get(LocalChordNodes.url(waiting) + "/actuator/health").body(), StandardCharsets.UTF_8);
        assertThat(health).contains("\"chordRing\"").containsPattern("\"state\":\"join");

        // joining a live ring makes it ready
        ConfigurableApplicationContext joined = nodes.start(LocalChordNodes.url(first));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(joined, "readiness") == 200);
        assertThat(status(waiting, "readiness")).isEqualTo(503);
    }

    private int status(ConfigurableApplicationContext node, String group) {
        return nodes.get(LocalChordNodes.url(node) + "/actuator/health/" + group).statusCode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
