package org.p2plab.gnutella.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * A property test of the Gnutella decoders: 100,000 random and mutated message streams through
 * the reader, the payload decoders and a routing node, and 100,000 random and mutated handshakes
 * through the handshake parser. Whatever arrives: only the documented failures come out (an
 * oversized length, a stream that ends early, a malformed message or handshake), never an index
 * or arithmetic error; a payload length beyond the limit is refused having read nothing but the
 * header; a handshake never makes the parser read beyond its byte limit; the node goes on routing
 * good messages afterwards. Seeded and reproducible (jqwik does not run on JUnit Platform 6).
 */
class GnutellaFuzzTest {

    static final long SEED = 0x6e75_7465_6c6cL;
    static final int CASES = 100_000;
    static final int MAX_PAYLOAD = 4096;

    /** Valid messages to mutate. */
    static final List<Packet> SEEDS = seeds();

    static List<Packet> seeds() {
        SplittableRandom r = new SplittableRandom(1);
        Guid servent = Guid.random(r);
        return List.of(
                new Packet(Guid.random(r), Packet.PING, 7, 0, new byte[0]),
                new Packet(Guid.random(r), Packet.PONG, 3, 1, new Messages.Pong(6346, "10.0.0.1", 10, 2048,
                        List.of(Ggep.Extension.of("DU", new byte[] {1, 2}))).encode()),
                new Packet(Guid.random(r), Packet.QUERY, 5, 2, new Messages.Query(0x8000, "beatles help",
                        List.of("urn:sha1:PLSTHIPQGSSZTS5FJUPAKUZWUGYQYPFB")).encode()),
                new Packet(Guid.random(r), Packet.QUERY_HIT, 4, 1, new Messages.QueryHit(6346, "10.0.0.2", 100,
                        List.of(new Messages.Result(1, 1000, "beatles help.mp3", List.of())), new Messages.Qhd("P2PL", false, true, null),
                        servent).encode()),
                new Packet(Guid.random(r), Packet.PUSH, 6, 0, new Messages.Push(servent, 1, "10.0.0.3", 6346).encode()),
                new Packet(Guid.random(r), Packet.BYE, 1, 0, new Messages.Bye(200, "Shutting Down").encode()));
    }

    /** Counts what was read, to check that an oversized payload is refused before its bytes are. */
    static final class Counting extends ByteArrayInputStream {
        Counting(byte[] b) {
            super(b);
        }

        int consumed() {
            return pos;
        }
    }

    @Test
    void messageStreamsNeverBreakTheDecodersOrTheNode() {
        GnutellaNodeTest.Recorder a = new GnutellaNodeTest.Recorder("a", true);
        GnutellaNodeTest.Recorder b = new GnutellaNodeTest.Recorder("b", true);
        Library library = new Library();
        library.add("beatles help.mp3", 1000, null);
        SplittableRandom seeds = new SplittableRandom(2);
        GnutellaNode node = new GnutellaNode(Guid.random(seeds), GnutellaNode.Params.defaults(true), library,
                new GnutellaNode.Self("10.0.0.9", 6346, 100, false), InstantSource.system(), seeds, new GnutellaNode.Listener() { });
        node.connected(a);
        node.connected(b);
        SplittableRandom random = new SplittableRandom(SEED);
        int tooLarge = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] input = stream(random.split());
            try {
                tooLarge += feed(node, a, input);
            }
            catch (Throwable t) {
                throw new AssertionError("case " + i + ": " + HexFormat.of().formatHex(input), t);
            }
        }
        assertThat(tooLarge).as("the generator makes oversized lengths").isGreaterThan(1000);
        // the node still routes: a fresh query from a goes to b
        b.got.clear();
        node.onPacket(a, new Packet(Guid.random(seeds), Packet.QUERY, 3, 0, new Messages.Query(0x8000, "anything", List.of()).encode()));
        assertThat(b.types()).contains(Packet.QUERY);
    }

    /** Feeds one stream; returns 1 if it ended on an oversized length. */
    private static int feed(GnutellaNode node, GnutellaNode.Link from, byte[] input) throws IOException {
        Counting in = new Counting(input);
        PacketReader reader = new PacketReader(in, MAX_PAYLOAD);
        while (true) {
            int before = in.consumed();
            Packet p;
            try {
                p = reader.read();
            }
            catch (PacketReader.TooLarge e) {
                assertThat(in.consumed() - before).as("refused after the header alone").isEqualTo(Packet.HEADER);
                assertThat(e.length()).isGreaterThan(MAX_PAYLOAD);
                return 1;
            }
            catch (EOFException e) {
                return 0;
            }
            if (p == null) {
                return 0;
            }
            decode(p);
            node.onPacket(from, p); // never throws: malformed messages are counted and dropped
        }
    }

    private static void decode(Packet p) {
        try {
            switch (p.type()) {
                case Packet.PING -> Messages.Ping.decode(p.payload());
                case Packet.PONG -> Messages.Pong.decode(p.payload());
                case Packet.QUERY -> Messages.Query.decode(p.payload());
                case Packet.QUERY_HIT -> Messages.QueryHit.decode(p.payload());
                case Packet.PUSH -> Messages.Push.decode(p.payload());
                case Packet.BYE -> Messages.Bye.decode(p.payload());
                default -> {
                }
            }
        }
        catch (MalformedMessageException expected) {
            // the documented failure
        }
    }

    static byte[] stream(SplittableRandom r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 1 + r.nextInt(3);
        for (int k = 0; k < n; k++) {
            byte[] b = switch (r.nextInt(4)) {
                case 0 -> {
                    byte[] junk = new byte[r.nextInt(80)];
                    r.nextBytes(junk);
                    yield junk;
                }
                case 1 -> SEEDS.get(r.nextInt(SEEDS.size())).encode();
                default -> mutate(SEEDS.get(r.nextInt(SEEDS.size())).encode(), r);
            };
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    static byte[] mutate(byte[] m, SplittableRandom r) {
        byte[] b = m.clone();
        switch (r.nextInt(6)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> { // the payload length: smaller, larger, far beyond the limit
                long len = switch (r.nextInt(3)) {
                    case 0 -> r.nextInt(b.length);
                    case 1 -> MAX_PAYLOAD + 1 + r.nextInt(1 << 20);
                    default -> 0xFFFFFFFFL - r.nextInt(1000);
                };
                Bytes.putIntLe(b, 19, len);
            }
            case 2 -> b[16] = (byte) r.nextInt(256); // another type with this payload
            case 3 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            case 4 -> { // a payload byte replaced by a NUL, 0x1C, 0xC3 or 0xFF
                if (b.length > Packet.HEADER) {
                    b[Packet.HEADER + r.nextInt(b.length - Packet.HEADER)] = new byte[] {0, 0x1C, (byte) 0xC3, (byte) 0xFF}[r.nextInt(4)];
                }
            }
            default -> { // TTL and hops anything
                b[17] = (byte) r.nextInt(256);
                b[18] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    @Test
    void handshakesNeverBreakTheParserOrReadBeyondItsLimit() {
        String[] good = {
            "GNUTELLA CONNECT/0.6\r\nUser-Agent: p2plab\r\nX-Ultrapeer: True\r\nX-Try-Ultrapeers: 1.2.3.4:6346,\r\n 5.6.7.8:6347\r\n\r\n",
            "GNUTELLA/0.6 200 OK\r\nUser-Agent: x\r\nX-Degree: 32\r\n\r\n",
            "GNUTELLA/0.6 503 Busy\nX-Try-Ultrapeers: 1.2.3.4:6346\n\n",
        };
        String alphabet = "GNUTELLA CONNECT/0.6\r\n:\t ,\u00ff";
        SplittableRandom random = new SplittableRandom(SEED + 1);
        int parsed = 0;
        for (int i = 0; i < CASES; i++) {
            SplittableRandom r = random.split();
            byte[] input;
            int kind = r.nextInt(4);
            if (kind == 0) {
                StringBuilder s = new StringBuilder();
                for (int k = r.nextInt(200); k > 0; k--) {
                    s.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                input = s.toString().getBytes(StandardCharsets.ISO_8859_1);
            }
            else if (kind == 1) { // a header block too big: lines, or one line, beyond the limits
                input = ("GNUTELLA CONNECT/0.6\r\n" + (r.nextBoolean() ? "X-Long: " + "a".repeat(Handshake.MAX_LINE + 10) + "\r\n"
                        : "X-Many: 1\r\n".repeat(Handshake.MAX_LINES + 5)) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            }
            else {
                byte[] g = good[r.nextInt(good.length)].getBytes(StandardCharsets.ISO_8859_1);
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    g[r.nextInt(g.length)] = (byte) (kind == 2 ? r.nextInt(256) : alphabet.charAt(r.nextInt(alphabet.length())));
                }
                input = g;
            }
            byte[] padded = java.util.Arrays.copyOf(input, input.length + 2 * Handshake.MAX_BYTES); // more than it may read
            Counting in = new Counting(padded);
            try {
                Handshake.read(in);
                parsed++;
            }
            catch (MalformedMessageException | EOFException expected) {
                // the documented failures
            }
            catch (Throwable t) {
                throw new AssertionError("case " + i + ": " + new String(input, StandardCharsets.ISO_8859_1), t);
            }
            assertThat(in.consumed()).as("case %d read at most the limit", i).isLessThanOrEqualTo(Handshake.MAX_BYTES + 1);
        }
        assertThat(parsed).as("some inputs are still handshakes").isGreaterThan(1000);
    }

}
