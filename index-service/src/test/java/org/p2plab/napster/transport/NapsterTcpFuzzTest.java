package org.p2plab.napster.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.p2plab.napster.protocol.Frame;
import org.p2plab.napster.protocol.FrameReader;
import org.p2plab.napster.protocol.IndexServer;
import org.p2plab.napster.protocol.MsgType;
import org.p2plab.napster.protocol.NapsterConnection;
import org.p2plab.napster.protocol.PasswordHasher;
import org.p2plab.napster.protocol.SearchRequest;
import org.p2plab.napster.protocol.SharedFile;
import org.p2plab.napster.protocol.UserStore;
import org.p2plab.napster.peer.NapsterClient;

/**
 * The fuzzer over real sockets: thousands of connections send random and mutated frames to the
 * Napster TCP port while two well-behaved users keep working. Every fuzzed connection is answered
 * with decodable frames only and is closed by the server (after its input ends, or by the login
 * timeout when it goes quiet inside a frame); the well-behaved users' searches never fail.
 */
class NapsterTcpFuzzTest {

    static final int CONNECTIONS = 3000;
    static final int SILENT = 20;

    private static final PasswordHasher PLAIN = org.p2plab.napster.protocol.NapsterCodecTest.PLAIN_FOR_TESTS;

    private static final NapsterClient.Handler IDLE = new NapsterClient.Handler() {
        @Override
        public void uploadRequested(String nick, String path, int speed) {
        }

        @Override
        public void pushRequested(String nick, String ip, int port, String path) {
        }

        @Override
        public void disconnected(NapsterClient client) {
        }
    };

    @Test
    void fuzzedConnectionsAreAnsweredOrClosedAndOthersKeepWorking() throws Exception {
        IndexServer server = new IndexServer(UserStore.inMemory(), PLAIN, IndexServer.Params.defaults(),
                InstantSource.fixed(Instant.parse("2026-11-25T00:00:00Z")));
        try (NapsterTcpServer tcp = new NapsterTcpServer(server, new NapsterConnection.Greeting("fuzz", List.of()),
                new NapsterTcpServer.Config("127.0.0.1", 0, 2048, Duration.ofSeconds(1), 256 * 1024, Duration.ofSeconds(10), 10_000), (t, in) -> { });
             NapsterClient owner = NapsterClient.login("127.0.0.1", tcp.port(), "owner", "pw", 6699, 7, Duration.ofSeconds(5), IDLE);
             NapsterClient searcher = NapsterClient.login("127.0.0.1", tcp.port(), "searcher", "pw", 6699, 3, Duration.ofSeconds(5),
                     IDLE)) {
            owner.share(List.of(new SharedFile("C:\\share\\target song.mp3", "md5", 1000, 128, 44100, 60)));
            SearchRequest find = new SearchRequest("target song", 10, null, null, null, null, null);
            // the share travels on the owner's connection, the search on the searcher's: wait until the index has it
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> searcher.search(find, Duration.ofSeconds(5)).size() == 1);

            AtomicBoolean fuzzing = new AtomicBoolean(true);
            AtomicInteger searches = new AtomicInteger();
            ConcurrentLinkedQueue<String> searchFailures = new ConcurrentLinkedQueue<>();
            Thread checker = Thread.ofVirtual().start(() -> {
                while (fuzzing.get()) {
                    try {
                        if (searcher.search(find, Duration.ofSeconds(5)).size() != 1) {
                            searchFailures.add("a search lost the owner's file");
                        }
                        searches.incrementAndGet();
                    }
                    catch (IOException e) {
                        searchFailures.add(e.toString());
                    }
                }
            });

            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            SplittableRandom random = new SplittableRandom(org.p2plab.napster.protocol.NapsterFuzzTest.SEED);
            List<Thread> batch = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS + SILENT; i++) {
                SplittableRandom r = random.split();
                boolean silent = i >= CONNECTIONS;
                int n = i;
                batch.add(Thread.ofVirtual().start(() -> {
                    try {
                        fuzzOne(tcp.port(), r, silent);
                    }
                    catch (Throwable t) {
                        failures.add("connection " + n + ": " + t);
                    }
                }));
                if (batch.size() == 64) {
                    for (Thread t : batch) {
                        t.join();
                    }
                    batch.clear();
                }
            }
            for (Thread t : batch) {
                t.join();
            }
            fuzzing.set(false);
            checker.join();

            assertThat(failures).isEmpty();
            assertThat(searchFailures).isEmpty();
            assertThat(searches.get()).isPositive();
            assertThat(owner.connected()).isTrue();
            assertThat(searcher.search(find, Duration.ofSeconds(5))).hasSize(1);
            assertThat(tcp.errorsSent()).as("the bad frames were answered with errors").isGreaterThan(CONNECTIONS / 4);
        }
    }

    /**
     * One fuzzed connection: its input (after a login, for two in three), then its half of the
     * connection closed; everything the server sends must decode, and the server must close.
     * {@code silent}: the connection sends half a frame before any login and goes quiet (the login
     * timeout must close it).
     */
    private static void fuzzOne(int port, SplittableRandom r, boolean silent) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            if (silent) {
                out.write(new byte[] {50, 0, 2, 0, 'a', 'b'});
                out.flush();
            }
            else {
                if (r.nextInt(3) > 0) {
                    out.write(new Frame(MsgType.LOGIN, "fz" + Long.toHexString(r.nextLong() & 0xFFFFFFFFL) + " pw 0 \"fuzz\" 3").encode());
                }
                out.write(org.p2plab.napster.protocol.NapsterFuzzTest.input(r));
                out.flush();
                s.shutdownOutput();
            }
            InputStream in = new BufferedInputStream(s.getInputStream());
            FrameReader reader = new FrameReader(in, 0xFFFF);
            try {
                FrameReader.Result res;
                while ((res = reader.read()) != null) {
                    Frame f = ((FrameReader.Ok) res).frame();
                    if (f.type() > MsgType.MAX_SENT) {
                        throw new AssertionError("the server sent type " + f.type());
                    }
                }
            }
            catch (SocketTimeoutException e) {
                throw new AssertionError("the server neither answered nor closed within 10 s");
            }
            catch (java.net.SocketException e) {
                // reset: closed by the server
            }
        }
    }
}
