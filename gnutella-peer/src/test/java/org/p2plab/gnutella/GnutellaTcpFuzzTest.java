package org.p2plab.gnutella;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.p2plab.gnutella.net.Servent;
import org.p2plab.gnutella.protocol.Guid;
import org.p2plab.gnutella.protocol.Messages;
import org.p2plab.gnutella.protocol.Packet;
import org.p2plab.support.test.LocalNodes;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Evidence 4 at the connection level: thousands of TCP connections to a running ultrapeer carrying
 * random bytes, mutated handshakes, mutated HTTP requests, and valid handshakes followed by random
 * and mutated messages — while a leaf keeps searching through that ultrapeer. Every connection is
 * answered or closed by the servent (none is left hanging), no exception escapes a connection,
 * and the leaf's own connection is never dropped and its searches keep finding the file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GnutellaTcpFuzzTest {

    private static final int CONNECTIONS = 3_000;

    private final LocalGnutellaNodes nodes = new LocalGnutellaNodes();
    private ConfigurableApplicationContext up;
    private ConfigurableApplicationContext holder;
    private ConfigurableApplicationContext leaf;

    @BeforeAll
    void start() {
        up = nodes.servent(true, List.of(), "p2plab.gnutella.handshake-timeout=2s");
        holder = nodes.servent(true, List.of(up));
        leaf = nodes.servent(false, List.of(up), "p2plab.gnutella.search-lifetime=5s");
        nodes.send("POST", LocalNodes.url(holder) + "/shares?name=fuzz%20survivor.txt", "still here".getBytes(StandardCharsets.UTF_8),
                "text/plain");
        await().atMost(Duration.ofSeconds(30)).until(() -> LocalGnutellaNodes.servent(up).connections().size() == 2);
    }

    @AfterAll
    void stop() {
        nodes.close();
    }

    @Test
    void fuzzedConnectionsAreAnsweredOrClosedAndTheRealNeighboursCarryOn() throws Exception {
        Servent s = LocalGnutellaNodes.servent(up);
        String leafConnection = LocalGnutellaNodes.servent(leaf).connections().getFirst().id();
        Random random = new Random(20261125);
        int port = s.port();
        int closedByServent = 0;
        for (int i = 0; i < CONNECTIONS; i++) {
            byte[] input = input(random, i % 5);
            try (Socket c = new Socket("127.0.0.1", port)) {
                c.setSoTimeout(5_000);
                c.getOutputStream().write(input);
                c.getOutputStream().flush();
                if (i % 5 == 4) {
                    continue; // after a good handshake: messages; we hang up ourselves, as most of them are routable
                }
                c.shutdownOutput(); // the servent sees our end and must answer or close, not wait forever
                drainToEnd(c.getInputStream());
                closedByServent++;
            }
            catch (SocketTimeoutException e) {
                throw new AssertionError("connection " + i + " was neither answered nor closed: " + printable(input), e);
            }
            catch (IOException e) {
                closedByServent++; // reset: closed
            }
            if (i % 500 == 0) {
                assertLeafStillSearches();
            }
        }
        assertThat(closedByServent).isEqualTo(CONNECTIONS * 4 / 5);
        assertLeafStillSearches();
        assertThat(s.transportStats().internalErrors()).isZero();
        assertThat(LocalGnutellaNodes.servent(leaf).connections()).extracting(c -> c.id()).containsExactly(leafConnection);
        assertThat(s.node().stats().malformed()).isPositive(); // the messages did get through to the router, and were dropped there
    }

    private void assertLeafStillSearches() {
        JsonNode search = nodes.json("POST", LocalNodes.url(leaf) + "/searches", "{\"query\":\"fuzz survivor\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.json(LocalNodes.url(leaf) + "/searches/" + search.get("id").asString())
                .get("count").asInt() == 1);
    }

    private static void drainToEnd(InputStream in) throws IOException {
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) {
            // answered; now wait for the close
        }
    }

    /** 0: random bytes; 1: a mutated handshake; 2: a mutated HTTP request; 3: a truncated or oversized handshake; 4: a handshake then random/mutated messages. */
    private static byte[] input(Random r, int kind) throws IOException {
        return switch (kind) {
            case 0 -> {
                byte[] b = new byte[1 + r.nextInt(300)];
                r.nextBytes(b);
                yield b;
            }
            case 1 -> mutate(r, ("GNUTELLA CONNECT/0.6\r\nUser-Agent: fuzz\r\nX-Ultrapeer: " + (r.nextBoolean() ? "True" : "False")
                    + "\r\nListen-IP: 127.0.0.1:" + (1 + r.nextInt(60000)) + "\r\n  continued\r\nBye-Packet: 0.1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            case 2 -> mutate(r, ("GET /get/" + r.nextInt(5) + "/fuzz%20survivor.txt HTTP/1.1\r\nRange: bytes=" + r.nextInt(20) + "-"
                    + r.nextInt(20) + "\r\nX-Node: 127.0.0.1:1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            case 3 -> {
                StringBuilder b = new StringBuilder("GNUTELLA CONNECT/0.6\r\n");
                int lines = r.nextInt(200);
                for (int j = 0; j < lines; j++) {
                    b.append("X-Filler-").append(j).append(": ").append("x".repeat(r.nextInt(r.nextBoolean() ? 50 : 5000))).append("\r\n");
                }
                yield b.toString().getBytes(StandardCharsets.ISO_8859_1); // no end: too long, or cut short by our shutdown
            }
            default -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(("GNUTELLA CONNECT/0.6\r\nX-Ultrapeer: False\r\nListen-IP: 127.0.0.1:" + (1 + r.nextInt(60000))
                        + "\r\n\r\nGNUTELLA/0.6 200 OK\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int messages = 1 + r.nextInt(5);
                for (int j = 0; j < messages; j++) {
                    out.write(message(r));
                }
                yield out.toByteArray();
            }
        };
    }

    private static byte[] message(Random r) {
        Guid g = Guid.random(r);
        byte[] payload = switch (r.nextInt(4)) {
            case 0 -> new Messages.Query(Messages.FLAG_MARK, "fuzz survivor", List.of()).encode();
            case 1 -> new Messages.Pong(6346, "127.0.0.1", r.nextInt(100), r.nextInt(1000), List.of()).encode();
            case 2 -> new Messages.Push(Guid.random(r), r.nextInt(10), "127.0.0.1", 1 + r.nextInt(60000)).encode();
            default -> {
                byte[] b = new byte[r.nextInt(100)];
                r.nextBytes(b);
                yield b;
            }
        };
        byte[] p = new Packet(g, new int[] {Packet.PING, Packet.PONG, Packet.QUERY, Packet.QUERY_HIT, Packet.PUSH, 0x31}[r.nextInt(6)],
                r.nextInt(10), r.nextInt(10), payload).encode();
        return r.nextInt(3) == 0 ? mutate(r, p) : p;
    }

    private static byte[] mutate(Random r, byte[] b) {
        byte[] m = b.clone();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(3)) {
                case 0 -> m[r.nextInt(m.length)] = (byte) r.nextInt(256);
                case 1 -> m = java.util.Arrays.copyOf(m, Math.max(1, r.nextInt(m.length + 1)));
                default -> {
                    byte[] x = new byte[m.length + 1];
                    int at = r.nextInt(m.length + 1);
                    System.arraycopy(m, 0, x, 0, at);
                    x[at] = (byte) r.nextInt(256);
                    System.arraycopy(m, at, x, at + 1, m.length - at);
                    m = x;
                }
            }
        }
        return m;
    }

    private static String printable(byte[] b) {
        return new String(b, 0, Math.min(b.length, 200), StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", ".");
    }
}
