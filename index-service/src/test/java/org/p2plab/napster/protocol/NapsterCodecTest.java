package org.p2plab.napster.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Napster frames and the data-port exchange, byte for byte (napster.txt's examples where it has them). */
public class NapsterCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    /** length (LE u16), type (LE u16), payload. */
    private static byte[] frame(int length, int type, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.US_ASCII);
        assertThat(p.length).isEqualTo(length);
        byte[] out = new byte[4 + p.length];
        out[0] = (byte) (length & 0xFF);
        out[1] = (byte) (length >> 8);
        out[2] = (byte) (type & 0xFF);
        out[3] = (byte) (type >> 8);
        System.arraycopy(p, 0, out, 4, p.length);
        return out;
    }

    @Test
    void loginFrameIsLittleEndianLengthThenType() {
        // napster.txt's example login: foo badpass 6699 "nap v0.8" 3
        byte[] b = new Frame(MsgType.LOGIN, "foo badpass 6699 \"nap v0.8\" 3").encode();
        assertThat(HEX.formatHex(b, 0, 4)).isEqualTo("1d000200");
        assertThat(new String(b, 4, b.length - 4, StandardCharsets.US_ASCII)).isEqualTo("foo badpass 6699 \"nap v0.8\" 3");
        // 256 is {0x00, 0x01}: a 300-byte payload of type 870
        byte[] big = new Frame(870, "x".repeat(300)).encode();
        assertThat(HEX.formatHex(big, 0, 4)).isEqualTo("2c016603");
    }

    @Test
    void readerDecodesFramesAndSkipsTooLongOnesInStep() throws IOException {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(frame(29, 2, "foo badpass 6699 \"nap v0.8\" 3"));
        s.writeBytes(frame(0, 110, ""));
        byte[] tooLong = new byte[4 + 600];
        tooLong[0] = (byte) (600 & 0xFF);
        tooLong[1] = (byte) (600 >> 8);
        tooLong[2] = (byte) 100;
        s.writeBytes(tooLong);
        s.writeBytes(frame(5, 211, "alice"));
        FrameReader r = new FrameReader(new ByteArrayInputStream(s.toByteArray()), 512);
        assertThat(((FrameReader.Ok) r.read()).frame()).isEqualTo(new Frame(2, "foo badpass 6699 \"nap v0.8\" 3"));
        assertThat(((FrameReader.Ok) r.read()).frame()).isEqualTo(new Frame(110, ""));
        assertThat(r.read()).isEqualTo(new FrameReader.TooLong(100, 600));
        assertThat(((FrameReader.Ok) r.read()).frame()).isEqualTo(new Frame(211, "alice"));
        assertThat(r.read()).isNull();
    }

    @Test
    void fieldsSplitOnSpacesAndKeepQuotedSpaces() {
        assertThat(Fields.split("mred \"C:\\Program Files\\Napster\\generic cowboy song.mp3\""))
                .containsExactly("mred", "C:\\Program Files\\Napster\\generic cowboy song.mp3");
        assertThat(Fields.split("  a  \"\" b ")).containsExactly("a", "", "b");
        assertThatThrownBy(() -> Fields.split("a \"open")).isInstanceOf(MalformedFrameException.class);
        assertThatThrownBy(() -> Fields.quote("a \"quoted\" name")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipIsTheNetworkOrderBytesReadLittleEndian() {
        assertThat(NapsterIp.encode("127.0.0.1")).isEqualTo(16777343L);
        assertThat(NapsterIp.decode(16777343L)).isEqualTo("127.0.0.1");
        // napster.txt's 201 example: 3437166285 = 0xCCDEFECD, first octet least significant
        assertThat(NapsterIp.decode(3437166285L)).isEqualTo("205.254.222.204");
        assertThat(NapsterIp.encode("205.254.222.204")).isEqualTo(3437166285L);
        assertThat(NapsterIp.encode("255.255.255.255")).isEqualTo(0xFFFFFFFFL);
        assertThatThrownBy(() -> NapsterIp.encode("1.2.3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NapsterIp.encode("1.2.3.256")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void searchRequestsParseInEitherOrderWithQuotedOrBareComparisons() {
        SearchRequest a = SearchRequest.parse("FILENAME CONTAINS \"Sneaker Pimps\" MAX_RESULTS 75 FILENAME CONTAINS \"tesko suicide\" "
                + "BITRATE \"AT LEAST\" \"128\"", 100);
        assertThat(a.words()).containsExactly("sneaker", "pimps", "tesko", "suicide");
        assertThat(a.maxResults()).isEqualTo(75);
        assertThat(a.bitrate()).isEqualTo(new SearchRequest.Range(128, Long.MAX_VALUE));
        SearchRequest b = SearchRequest.parse("MAX_RESULTS 100 FILENAME CONTAINS \"Ventolin\" LINESPEED \"EQUAL TO\" 10", 100);
        assertThat(b.words()).containsExactly("ventolin");
        assertThat(b.linkSpeed()).isEqualTo(new SearchRequest.Range(10, 10));
        SearchRequest c = SearchRequest.parse("FILENAME CONTAINS \"a b song\" FREQ AT BEST 44100 SIZE \"AT BEST\" 1024 LOCAL_ONLY WMA-FILE", 100);
        assertThat(c.words()).containsExactly("song");
        assertThat(c.frequency()).isEqualTo(new SearchRequest.Range(0, 44100));
        assertThat(c.size()).isEqualTo(new SearchRequest.Range(0, 1024));
        for (String bad : List.of("FILENAME \"x\"", "MAX_RESULTS many FILENAME CONTAINS \"x\"", "BITRATE \"MORE THAN\" 1",
                "FILENAME CONTAINS \"x\" COLOUR blue", "BITRATE \"AT LEAST\"", "MAX_RESULTS -1")) {
            assertThatThrownBy(() -> SearchRequest.parse(bad, 100)).as(bad).isInstanceOf(MalformedFrameException.class);
        }
        assertThat(SearchRequest.parse(a.toPayload(), 100)).isEqualTo(a);
    }

    /** A connection to a fresh index whose frames are recorded as bytes. */
    private static final class Recorder implements NapsterConnection.Output {
        final List<Frame> frames = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean closed;

        @Override
        public synchronized void send(Frame f) {
            frames.add(f);
            bytes.writeBytes(f.encode());
        }

        @Override
        public synchronized void close() {
            closed = true;
        }

        synchronized byte[] take() {
            byte[] b = bytes.toByteArray();
            bytes.reset();
            frames.clear();
            return b;
        }
    }

    public static final PasswordHasher PLAIN_FOR_TESTS = new PasswordHasher() {
        @Override
        public String hash(String password) {
            return "h:" + password;
        }

        @Override
        public boolean matches(String password, String hash) {
            return hash.equals("h:" + password);
        }
    };

    private static NapsterConnection connection(IndexServer server, Recorder out, String ip) {
        return new NapsterConnection(server, out, ip, new NapsterConnection.Greeting("test", List.of()), 2048, new AtomicLong());
    }

    @Test
    void loginAckSearchResultAndDownloadAckAreByteExact() {
        IndexServer server = new IndexServer(UserStore.inMemory(), PLAIN_FOR_TESTS, IndexServer.Params.defaults(),
                InstantSource.fixed(Instant.parse("2026-11-25T00:00:00Z")));
        Recorder bobOut = new Recorder();
        NapsterConnection bob = connection(server, bobOut, "127.0.0.1");
        bob.onFrame(new Frame(MsgType.NEW_USER_LOGIN, "bob pw 6699 \"nap v0.8\" 7 bob@example.org"));
        byte[] login = bobOut.take();
        // 3 login ack: the registered email
        assertThat(HEX.formatHex(login, 0, 4 + 15)).isEqualTo(HEX.formatHex(frame(15, 3, "bob@example.org")));
        bob.onFrame(new Frame(MsgType.SHARE, "\"generic band - generic song.mp3\" b92870e0d41bc8e698cf2f0a1ddfeac7 443332 128 44100 60"));
        assertThat(bobOut.take()).isEmpty();

        Recorder aliceOut = new Recorder();
        NapsterConnection alice = connection(server, aliceOut, "10.0.0.2");
        alice.onFrame(new Frame(MsgType.LOGIN, "alice pw 0 \"nap v0.8\" 3"));
        aliceOut.take();
        alice.onFrame(new Frame(MsgType.SEARCH, "FILENAME CONTAINS \"generic song\" MAX_RESULTS 10"));
        String hit = "\"generic band - generic song.mp3\" b92870e0d41bc8e698cf2f0a1ddfeac7 443332 128 44100 60 bob 16777343 7";
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(frame(hit.length(), 201, hit));
        want.writeBytes(frame(0, 202, ""));
        assertThat(HEX.formatHex(aliceOut.take())).isEqualTo(HEX.formatHex(want.toByteArray()));

        // 203 → 607 to bob; 608 → 204 to alice
        alice.onFrame(new Frame(MsgType.DOWNLOAD_REQUEST, "bob \"generic band - generic song.mp3\""));
        String upload = "alice \"generic band - generic song.mp3\" 3";
        assertThat(HEX.formatHex(bobOut.take())).isEqualTo(HEX.formatHex(frame(upload.length(), 607, upload)));
        assertThat(aliceOut.take()).isEmpty();
        bob.onFrame(new Frame(MsgType.UPLOAD_ACCEPT, "alice \"generic band - generic song.mp3\""));
        String ack = "bob 16777343 6699 \"generic band - generic song.mp3\" b92870e0d41bc8e698cf2f0a1ddfeac7 7";
        assertThat(HEX.formatHex(aliceOut.take())).isEqualTo(HEX.formatHex(frame(ack.length(), 204, ack)));
    }

    @Test
    void getExchangeOnTheDataPort() throws IOException {
        ByteArrayOutputStream fromDownloader = new ByteArrayOutputStream();
        DataPortWire.writeRequest(fromDownloader, false, "alice", "share\\song.mp3", 1000);
        assertThat(fromDownloader.toString(StandardCharsets.US_ASCII)).isEqualTo("GETalice \"share\\song.mp3\" 1000");
        DataPortWire.Request r = DataPortWire.readRequest(new ByteArrayInputStream(fromDownloader.toByteArray()), t -> { }, 1024);
        assertThat(r).isEqualTo(new DataPortWire.Request(false, "alice", "share\\song.mp3", 1000));

        ByteArrayOutputStream push = new ByteArrayOutputStream();
        DataPortWire.writeRequest(push, true, "bob", "x.mp3", 443332);
        assertThat(push.toString(StandardCharsets.US_ASCII)).isEqualTo("SENDbob \"x.mp3\" 443332");
        assertThat(DataPortWire.readRequest(new ByteArrayInputStream(push.toByteArray()), t -> { }, 1024))
                .isEqualTo(new DataPortWire.Request(true, "bob", "x.mp3", 443332));

        ByteArrayOutputStream greet = new ByteArrayOutputStream();
        DataPortWire.greet(greet);
        assertThat(greet.toByteArray()).containsExactly('1');

        // the uploader's answer: the size in ASCII, then the bytes at once; a file that begins with digits
        byte[] answer = "1234567890abc".getBytes(StandardCharsets.US_ASCII); // size 12, content "34567890abc"...
        assertThat(DataPortWire.readSize(new ByteArrayInputStream(answer), 12)).isEqualTo(12);
        // without the expected size: digits up to the first non-digit (MP3 data begins with 0xFF)
        byte[] mp3 = {'5', '0', '0', (byte) 0xFF, (byte) 0xFB};
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(mp3));
        assertThat(DataPortWire.readSize(in, -1)).isEqualTo(500);
        assertThat(in.read()).isEqualTo(0xFF);
        assertThatThrownBy(() -> DataPortWire.readSize(new ByteArrayInputStream("FILE NOT SHARED".getBytes(StandardCharsets.US_ASCII)), 12))
                .hasMessageContaining("FILE NOT SHARED");
        for (String bad : List.of("PUT alice \"x\" 0", "GETalice x 0", "GETalice \"x\"0", "GET \"x\" 0", "GETalice \"x\" abc")) {
            assertThatThrownBy(() -> DataPortWire.readRequest(new ByteArrayInputStream(bad.getBytes(StandardCharsets.US_ASCII)), t -> { }, 1024))
                    .as(bad).isInstanceOf(MalformedFrameException.class);
        }
    }
}
