package org.p2plab.napster.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2plab.napster.protocol.Frame;
import org.p2plab.napster.protocol.FrameReader;
import org.p2plab.napster.protocol.IndexServer;
import org.p2plab.napster.protocol.MsgType;
import org.p2plab.napster.protocol.NapsterCodecTest;
import org.p2plab.napster.protocol.NapsterConnection;
import org.p2plab.napster.protocol.SharedFile;
import org.p2plab.napster.protocol.UserStore;

/**
 * The TCP door under clients that misbehave by being slow: a browse bigger than the client's
 * queue reaches a client that reads late, whole; a flood of messages at a user who does not read
 * is dropped, not a reason to disconnect it; a search or browse that is refused still ends; a
 * client that trickles bytes without logging in is cut at the login deadline.
 */
class NapsterRobustnessTest {

    IndexServer server;
    NapsterTcpServer tcp;

    @BeforeEach
    void start() throws IOException {
        server = new IndexServer(UserStore.inMemory(), NapsterCodecTest.PLAIN_FOR_TESTS, IndexServer.Params.defaults(),
                InstantSource.fixed(Instant.parse("2026-11-25T00:00:00Z")));
        tcp = new NapsterTcpServer(server, new NapsterConnection.Greeting("test", List.of()),
                new NapsterTcpServer.Config("127.0.0.1", 0, 2048, Duration.ofSeconds(1), 100_000, Duration.ofSeconds(20), 1000),
                (t, in) -> { });
    }

    @AfterEach
    void stop() {
        tcp.close();
    }

    /** A raw client: logs in and reads its greeting (3, 621..., 214). */
    final class Client implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final FrameReader in;

        Client(String nick) throws IOException {
            socket = new Socket("127.0.0.1", tcp.port());
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new FrameReader(new BufferedInputStream(socket.getInputStream()), 0xFFFF);
            send(MsgType.LOGIN, nick + " pw 6699 \"test\" 3");
            Frame f;
            do {
                f = next();
            }
            while (f.type() != MsgType.STATS);
        }

        void send(int type, String payload) throws IOException {
            out.write(new Frame(type, payload).encode());
            out.flush();
        }

        Frame next() throws IOException {
            return ((FrameReader.Ok) in.read()).frame();
        }

        /** Frames up to and including the first of type {@code end}. */
        List<Frame> until(int end) throws IOException {
            List<Frame> got = new ArrayList<>();
            Frame f;
            do {
                f = next();
                got.add(f);
            }
            while (f.type() != end);
            return got;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aBrowseLargerThanTheQueueReachesASlowReaderWhole() throws Exception {
        try (Client sharer = new Client("sharer"); Client browser = new Client("browser")) {
            StringBuilder frames = new StringBuilder();
            String dir = "C:\\" + "long directory name ".repeat(5);
            for (int i = 0; i < 2000; i++) {
                sharer.out.write(new Frame(MsgType.SHARE, "\"" + dir + "song " + i + ".mp3\" md5 1000 128 44100 60").encode());
            }
            sharer.out.flush();
            sharer.send(MsgType.STATS, ""); // answered after the shares: they are all in
            sharer.until(MsgType.STATS);
            browser.send(MsgType.BROWSE, "sharer");
            // the answer (~300 KB) is three times the client's queue: the index waits for it to read, it does not drop it
            assertThat(tcp.connections()).isEqualTo(2);
            List<Frame> got = browser.until(MsgType.BROWSE_END);
            assertThat(got.stream().filter(f -> f.type() == MsgType.BROWSE_ENTRY)).hasSize(2000);
            assertThat(server.online("browser")).isPresent();
            assertThat(frames).isEmpty();
        }
    }

    @Test
    void messagesAtAUserWhoDoesNotReadAreDroppedNotADisconnection() throws Exception {
        String flooderNick = "flooder" + "x".repeat(43); // 50 characters: each ping the victim gets is 54 bytes
        try (Client victim = new Client("victim"); Client flooder = new Client(flooderNick)) {
            victim.send(MsgType.SHARE, "\"C:\\x\\song.mp3\" md5 1000 128 44100 60");
            victim.send(MsgType.STATS, "");
            victim.until(MsgType.STATS);
            // 200,000 pings at the victim (10 MB), who reads nothing meanwhile: beyond its 100 KB queue and the socket buffers
            StringBuilder nothing = new StringBuilder();
            for (int i = 0; i < 200_000; i++) {
                flooder.out.write(new Frame(MsgType.PING, "victim").encode());
            }
            flooder.out.flush();
            flooder.send(MsgType.STATS, "");
            flooder.until(MsgType.STATS); // the flooder's own commands are still answered
            assertThat(tcp.dropped()).as("what did not fit was dropped").isPositive();
            assertThat(server.online("victim")).as("the victim is still online").isPresent();
            victim.send(MsgType.STATS, "");
            assertThat(victim.until(MsgType.STATS)).as("and still served").isNotEmpty();
            assertThat(nothing).isEmpty();
        }
    }

    @Test
    void aRefusedSearchOrBrowseStillEnds() throws Exception {
        try (Client c = new Client("asker")) {
            byte[] tooLong = new Frame(MsgType.SEARCH, "FILENAME CONTAINS \"" + "x".repeat(3000) + "\" MAX_RESULTS 10").encode();
            c.out.write(tooLong);
            c.out.flush();
            assertThat(c.until(MsgType.SEARCH_END)).extracting(Frame::type).containsExactly(MsgType.ERROR_MESSAGE, MsgType.SEARCH_END);
            c.send(MsgType.BROWSE, "\"");
            assertThat(c.until(MsgType.USER_SIGNOFF)).extracting(Frame::type).containsExactly(MsgType.USER_SIGNOFF);
        }
    }

    @Test
    void theLoginTimeoutIsADeadlineNotAnIdleTime() throws Exception {
        try (Socket s = new Socket("127.0.0.1", tcp.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            long t0 = System.nanoTime();
            // a nick check every 300 ms: never idle for the 1 s timeout, never logged in
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 30; i++) {
                        out.write(new Frame(MsgType.NICK_CHECK, "someone").encode());
                        out.flush();
                        Thread.sleep(300); // the client's pace, not a wait for the server
                    }
                }
                catch (IOException | InterruptedException e) {
                    // closed by the server: what the test expects
                }
            });
            FrameReader r = new FrameReader(in, 0xFFFF);
            Frame last = null;
            try {
                FrameReader.Result res;
                while ((res = r.read()) != null) {
                    last = ((FrameReader.Ok) res).frame();
                }
            }
            catch (SocketException e) {
                // reset: closed
            }
            long took = (System.nanoTime() - t0) / 1_000_000;
            trickle.join();
            assertThat(last).isNotNull();
            assertThat(last.type()).as("0: log in in time").isEqualTo(MsgType.ERROR);
            assertThat(took).as("closed at the deadline, not after 30 nick checks").isLessThan(5_000);
        }
    }

    @Test
    void replacingTheShareListWithTooManyKeepsTheOldOne() {
        var s = server.login(new IndexServer.Login("keeper", "pw", 6699, "t", 3, null, "127.0.0.1",
                org.p2plab.napster.protocol.Session.Transport.REST, false), new org.p2plab.napster.web.RestSessionLink());
        server.share(s, List.of(new SharedFile("C:\\kept.mp3", "md5", 1, 0, 0, 0)));
        List<SharedFile> tooMany = new ArrayList<>();
        for (int i = 0; i <= server.params().maxSharesPerUser(); i++) {
            tooMany.add(new SharedFile("C:\\f" + i + ".mp3", "md5", 1, 0, 0, 0));
        }
        try {
            server.replaceShares(s, tooMany);
        }
        catch (RuntimeException expected) {
            // TOO_MANY_SHARES
        }
        assertThat(s.shared()).extracting(SharedFile::path).containsExactly("C:\\kept.mp3");
    }
}
