package org.p2plab.chord;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** With the default file-backed H2, a node that restarts still has its keys. */
class ChordPersistenceTest {

    @TempDir
    Path dataDir;

    @Test
    void restartedNodeStillHasItsKeys() {
        String fileDb = "jdbc:h2:file:" + dataDir.resolve("chord") + ";DB_CLOSE_ON_EXIT=FALSE";
        try (LocalChordNodes nodes = new LocalChordNodes()) {
            ConfigurableApplicationContext first = nodes.start(null, "spring.datasource.url=" + fileDb);
            String url = LocalChordNodes.url(first);
            for (int i = 0; i < 20; i++) {
                assertThat(nodes.send("PUT", url + "/dht/persist-" + i, ("v" + i).getBytes(StandardCharsets.UTF_8),
                        "text/plain").statusCode()).isEqualTo(201);
            }
            assertThat(nodes.send("DELETE", url + "/dht/persist-3", null, null).statusCode()).isEqualTo(204);
            nodes.stop(first);

            ConfigurableApplicationContext again = nodes.start(null, "spring.datasource.url=" + fileDb);
            String url2 = LocalChordNodes.url(again);
            for (int i = 0; i < 20; i++) {
                HttpResponse<byte[]> got = nodes.get(url2 + "/dht/persist-" + i);
                if (i == 3) {
                    assertThat(got.statusCode()).isEqualTo(404);
                } else {
                    assertThat(got.statusCode()).isEqualTo(200);
                    assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("v" + i);
                    assertThat(got.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
                }
            }
        }
    }
}
