package org.p2plab.gnutella.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2plab.gnutella.protocol.GnutellaNode;
import org.p2plab.gnutella.protocol.HttpWire;
import org.p2plab.gnutella.protocol.Library;

/**
 * Downloads against a servent that misbehaves (a fake one on a raw server socket): a transfer that
 * breaks resumes with Range, and a 206 for another part than the one asked for is not spliced in —
 * the download starts over and ends with the right bytes.
 */
class TransfersTest {

    @TempDir
    Path dir;
    Servent servent;
    ServerSocket fake;
    final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Servent.Config c = new Servent.Config("127.0.0.1", 0, "127.0.0.1", false, List.of(), 8, 8, 3, 0, Duration.ofSeconds(30),
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(10), 1 << 20, 65536, 64, 100, 100);
        Transfers.Config t = new Transfers.Config(2, Duration.ofSeconds(1), false, dir.resolve("downloads"), 5, Duration.ofSeconds(1),
                Duration.ofSeconds(2), 10, 1 << 20);
        BiConsumer<Integer, Boolean> none = (type, in) -> { };
        servent = new Servent(c, GnutellaNode.Params.defaults(true), new SharedFiles(dir.resolve("shared"), new Library(), 1 << 20), t,
                60_000, InstantSource.system(), new Random(1), none, new Transfers.Listener() { });
        servent.start();
        fake = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        servent.kill();
        fake.close();
    }

    /** Answers each connection with the next of {@code answers} (given the request, it writes the reply). */
    private void serve(List<java.util.function.BiConsumer<HttpWire.Request, OutputStream>> answers) {
        Thread.ofVirtual().start(() -> {
            for (var answer : answers) {
                try (Socket s = fake.accept()) {
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    HttpWire.Request r = HttpWire.readRequest(in);
                    requests.add(r.target() + " Range=" + r.headers().get("Range"));
                    answer.accept(r, s.getOutputStream());
                    s.getOutputStream().flush();
                }
                catch (Exception e) {
                    return;
                }
            }
        });
    }

    private static void write(OutputStream out, String head, byte[] body, int from, int to) {
        try {
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, from, to - from);
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aBrokenTransferResumesAndAWrongPartIsNotSplicedIn() throws Exception {
        byte[] file = new byte[1000];
        new Random(9).nextBytes(file);
        List<java.util.function.BiConsumer<HttpWire.Request, OutputStream>> answers = new ArrayList<>();
        // 1: the whole file announced, 400 bytes sent, then the connection drops
        answers.add((r, out) -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", file, 0, 400));
        // 2: asked for bytes=400-, it answers another part (500-999): must not be written at 400
        answers.add((r, out) -> write(out, "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 500-999/1000\r\nContent-Length: 500\r\n\r\n",
                file, 500, 1000));
        // 3: from the start again, the whole file
        answers.add((r, out) -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", file, 0, 1000));
        serve(answers);
        Transfers.Download d = servent.transfers().download("127.0.0.1:" + fake.getLocalPort(), 3, "the file.bin", null, null, false);
        await().atMost(Duration.ofSeconds(20)).until(d::done);
        assertThat(d.state()).as(String.valueOf(d.error())).isEqualTo(Transfers.State.COMPLETE);
        assertThat(Files.readAllBytes(d.file())).isEqualTo(file);
        assertThat(requests).containsExactly("/get/3/the%20file.bin Range=null", "/get/3/the%20file.bin Range=bytes=400-",
                "/get/3/the%20file.bin Range=null");
        assertThat(d.file().getFileName().toString()).isEqualTo("the file.bin");
    }

    @Test
    void aResumedPartIsAppendedWhenItIsTheOneAskedFor() throws Exception {
        byte[] file = new byte[5000];
        new Random(10).nextBytes(file);
        serve(List.of((r, out) -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n", file, 0, 1234),
                (r, out) -> write(out, "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 1234-4999/5000\r\nContent-Length: 3766\r\n\r\n",
                        file, 1234, 5000)));
        Transfers.Download d = servent.transfers().download("127.0.0.1:" + fake.getLocalPort(), 1, ".hidden", null, null, false);
        await().atMost(Duration.ofSeconds(20)).until(d::done);
        assertThat(d.state()).as(String.valueOf(d.error())).isEqualTo(Transfers.State.COMPLETE);
        assertThat(Files.readAllBytes(d.file())).isEqualTo(file);
        assertThat(d.file().getFileName().toString()).as("a name with a leading dot is not used").isEqualTo(d.id());
        assertThat(requests).hasSize(2).last().isEqualTo("/get/1/.hidden Range=bytes=1234-");
    }

    @Test
    void aContentRangeBeyondTheLimitOrMalformedIsRefused() {
        assertThat(Transfers.contentRange("bytes 0-9/10")).containsExactly(0, 9, 10);
        assertThat(Transfers.contentRange("bytes 5-4/10")).isNull();
        assertThat(Transfers.contentRange("bytes 0-10/10")).isNull();
        assertThat(Transfers.contentRange("bytes */10")).isNull();
        assertThat(Transfers.contentRange("bytes=0-9/10")).isNull();
        assertThat(Transfers.contentRange(null)).isNull();
    }
}
