package org.p2plab.gnutella.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Gnutella 0.6 messages and handshakes, byte for byte. */
class GnutellaCodecTest {

    private static final HexFormat HEX = HexFormat.of();
    static final Guid G = Guid.parse("0102030405060708ff0a0b0c0d0e0f00");

    private static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    @Test
    void pingIsAHeaderAlone() {
        byte[] b = new Packet(G, Packet.PING, 7, 0, new Messages.Ping(List.of()).encode()).encode();
        // GUID, type 0x00, TTL 7, hops 0, length 0 (u32 little-endian)
        assertThat(hex(b)).isEqualTo("0102030405060708ff0a0b0c0d0e0f00" + "00" + "07" + "00" + "00000000");
        assertThat(b).hasSize(23);
    }

    @Test
    void pongWithGgep() {
        Messages.Pong pong = new Messages.Pong(6346, "192.168.1.2", 10, 2048, List.of(Ggep.Extension.of("DU", new byte[] {0x10, 0x0E})));
        byte[] p = pong.encode();
        // port LE (6346 = 0x18CA), IPv4 in network order, files and KB LE, then C3 | 0x82 (last, ID of 2) "DU" | 0x42 (length 2) | data
        assertThat(hex(p)).isEqualTo("ca18" + "c0a80102" + "0a000000" + "00080000" + "c3" + "82" + "4455" + "42" + "100e");
        assertThat(Messages.Pong.decode(p).ip()).isEqualTo("192.168.1.2");
        assertThat(Messages.Pong.decode(p).ggep().get(0).id()).isEqualTo("DU");
        byte[] packet = new Packet(G, Packet.PONG, 3, 1, p).encode();
        assertThat(hex(packet).substring(32, 46)).isEqualTo("01" + "03" + "01" + "15000000"); // type, TTL, hops, length 21
    }

    @Test
    void queryStartsWithABigEndianFlagsWord() {
        Messages.Query q = new Messages.Query(Messages.FLAG_MARK | Messages.FLAG_GGEP_H, "beatles help", List.of());
        byte[] p = q.encode();
        assertThat(hex(p)).isEqualTo("8800" + hex("beatles help".getBytes(StandardCharsets.US_ASCII)) + "00");
        assertThat(p[0]).as("never 00 00: the 0x80 bit of the first byte marks the word as flags").isEqualTo((byte) 0x88);
        Messages.Query back = Messages.Query.decode(p);
        assertThat(back.flags()).isEqualTo(0x8800);
        assertThat(back.criteria()).isEqualTo("beatles help");
        // HUGE and GGEP extensions after the string, separated by 0x1C, GGEP last
        byte[] ext = HEX.parseHex("8000" + "00" + hex("urn:sha1:PLSTHIPQGSSZTS5FJUPAKUZWUGYQYPFB".getBytes(StandardCharsets.US_ASCII))
                + "1c" + "c3" + "81" + "48" + "40");
        Messages.Query withUrn = Messages.Query.decode(ext);
        assertThat(withUrn.criteria()).isEmpty();
        assertThat(withUrn.urns()).containsExactly("urn:sha1:PLSTHIPQGSSZTS5FJUPAKUZWUGYQYPFB");
    }

    @Test
    void minimalAndExtendedQueryHits() {
        Guid servent = Guid.parse("00112233445566778899aabbccddeeff");
        Messages.QueryHit minimal = new Messages.QueryHit(6346, "10.0.0.1", 100,
                List.of(new Messages.Result(5, 1234, "a.mp3", List.of())), null, servent);
        // N, port LE, IP BE, speed LE; index LE, size LE, name NUL, (empty) extensions NUL; servent GUID
        assertThat(hex(minimal.encode())).isEqualTo("01" + "ca18" + "0a000001" + "64000000" + "05000000" + "d2040000"
                + hex("a.mp3".getBytes(StandardCharsets.US_ASCII)) + "00" + "00" + "00112233445566778899aabbccddeeff");
        assertThat(Messages.QueryHit.decode(minimal.encode())).isEqualTo(minimal);

        Messages.QueryHit extended = new Messages.QueryHit(6346, "10.0.0.1", 100,
                List.of(new Messages.Result(5, 1234, "a.mp3", List.of("urn:sha1:PLSTHIPQGSSZTS5FJUPAKUZWUGYQYPFB"))),
                new Messages.Qhd("P2PL", false, true, null), servent);
        String qhd = hex("P2PL".getBytes(StandardCharsets.US_ASCII)) + "02"
                + "04" // byte 1: busy is meaningful (0x04); push's value 0
                + "05"; // byte 2: busy's value (0x04), push is meaningful (0x01)
        assertThat(hex(extended.encode())).endsWith(qhd + "00112233445566778899aabbccddeeff");
        Messages.QueryHit back = Messages.QueryHit.decode(extended.encode());
        assertThat(back.qhd()).isEqualTo(new Messages.Qhd("P2PL", false, true, null));
        assertThat(back.results().get(0).urns()).containsExactly("urn:sha1:PLSTHIPQGSSZTS5FJUPAKUZWUGYQYPFB");
    }

    @Test
    void pushAndBye() {
        Guid servent = Guid.parse("00112233445566778899aabbccddeeff");
        byte[] push = new Messages.Push(servent, 7, "192.168.1.2", 6346).encode();
        assertThat(hex(push)).isEqualTo("00112233445566778899aabbccddeeff" + "07000000" + "c0a80102" + "ca18");
        assertThat(Messages.Push.decode(push)).isEqualTo(new Messages.Push(servent, 7, "192.168.1.2", 6346));
        byte[] bye = new Messages.Bye(200, "Shutting Down").encode();
        assertThat(hex(bye)).isEqualTo("c800" + hex("Shutting Down".getBytes(StandardCharsets.US_ASCII)) + "00");
        assertThat(Messages.Bye.decode(bye)).isEqualTo(new Messages.Bye(200, "Shutting Down"));
    }

    @Test
    void ggepLengthsAtTheirBoundaries() {
        for (int[] c : new int[][] {{0, 0x40}, {63, 0x7F}, {64, 0x81, 0x40}, {4095, 0xBF, 0x7F}, {4096, 0x81, 0x80, 0x40}}) {
            byte[] block = Ggep.write(List.of(Ggep.Extension.of("X", new byte[c[0]])));
            for (int i = 1; i < c.length; i++) {
                assertThat(block[3 + i - 1] & 0xFF).as("length %d, byte %d", c[0], i).isEqualTo(c[i]);
            }
            Ggep.Block parsed = Ggep.parse(block, 0, block.length);
            assertThat(parsed.extensions().get(0).data()).hasSize(c[0]);
            assertThat(parsed.end()).isEqualTo(block.length);
        }
        for (String bad : List.of("c3", "c3 81", "c3 90 41 40", "c3 80 40", "c3 81 41 00", "c3 81 41 81 81 81 40", "c3 81 41 45 00",
                "c3 01 41 40")) {
            byte[] b = HEX.parseHex(bad.replace(" ", ""));
            assertThatThrownBy(() -> Ggep.parse(b, 0, b.length)).as(bad).isInstanceOf(MalformedMessageException.class);
        }
    }

    @Test
    void aPayloadLongerThanTheLimitIsRefusedBeforeItIsRead() {
        byte[] header = new Packet(G, Packet.QUERY, 7, 0, new byte[0]).encode();
        Bytes.putIntLe(header, 19, 0xFFFFFFFFL);
        PacketReader r = new PacketReader(new ByteArrayInputStream(header), 65536);
        assertThatThrownBy(r::read).isInstanceOf(PacketReader.TooLarge.class).hasMessageContaining("4294967295");
    }

    @Test
    void handshakesParseWithContinuationLinesAnyCaseAndRefusals() throws Exception {
        String connect = "GNUTELLA CONNECT/0.6\r\n"
                + "User-Agent: LimeWire/4.10.9\r\n"
                + "x-ultrapeer: True\r\n"
                + "X-Try-Ultrapeers: 23.35.1.7:6346,\r\n"
                + "  18.207.63.25:6347\r\n"
                + "X-Degree: 32\r\n"
                + "X-Unknown-Header: ignored\r\n"
                + "X-Degree: 33\r\n"
                + "\r\n";
        Handshake.Message m = Handshake.read(new ByteArrayInputStream(connect.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(m.connect()).isTrue();
        assertThat(m.version()).isEqualTo("0.6");
        assertThat(m.headers().get("USER-AGENT")).isEqualTo("LimeWire/4.10.9");
        assertThat(m.headers().isTrue("X-Ultrapeer")).isTrue();
        assertThat(m.headers().list("x-try-ultrapeers")).containsExactly("23.35.1.7:6346", "18.207.63.25:6347");
        assertThat(m.headers().get("X-Degree")).as("a repeated header is the values joined by a comma").isEqualTo("32,33");

        String refusal = "GNUTELLA/0.6 503 Busy\nX-Try-Ultrapeers: 1.2.3.4:6346\n\n";
        Handshake.Message r = Handshake.read(new ByteArrayInputStream(refusal.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(r.connect()).isFalse();
        assertThat(r.code()).isEqualTo(503);
        assertThat(r.reason()).isEqualTo("Busy");

        Headers h = new Headers().add("User-Agent", "p2plab").add("X-Ultrapeer", "True");
        assertThat(Handshake.Message.status(200, "OK", h)).isEqualTo("GNUTELLA/0.6 200 OK\r\nUser-Agent: p2plab\r\nX-Ultrapeer: True\r\n\r\n");
        for (String bad : List.of("HELLO\r\n\r\n", "GNUTELLA CONNECT/x\r\n\r\n", "GNUTELLA/0.6 OK\r\n\r\n",
                "GNUTELLA CONNECT/0.6\r\n continuation first\r\n\r\n", "GNUTELLA CONNECT/0.6\r\nno colon\r\n\r\n")) {
            assertThatThrownBy(() -> Handshake.read(new ByteArrayInputStream(bad.getBytes(StandardCharsets.ISO_8859_1))))
                    .as(bad).isInstanceOf(MalformedMessageException.class);
        }
    }

    @Test
    void forwardingDecrementsTtlAndIncrementsHops() {
        Packet p = new Packet(G, Packet.QUERY, 3, 4, new byte[0]);
        assertThat(p.forwarded()).extracting(Packet::ttl, Packet::hops).containsExactly(2, 5);
        assertThat(Guid.random(new java.util.SplittableRandom(1)).toBytes()[8]).as("a modern servent's GUID").isEqualTo((byte) 0xFF);
    }
}
