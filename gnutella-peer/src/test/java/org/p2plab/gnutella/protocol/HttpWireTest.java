package org.p2plab.gnutella.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The HTTP side of the Gnutella port: request lines, targets, ranges, GIV, base32. */
class HttpWireTest {

    private static HttpWire.Request request(String s) throws Exception {
        return HttpWire.readRequest(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void requestLinesWithEncodedOrUnencodedNames() throws Exception {
        HttpWire.Request r = request("GET /get/12/My%20Song.mp3 HTTP/1.1\r\nRange: bytes=0-99\r\nrange: bytes=5-\r\n\r\n");
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.target()).isEqualTo("/get/12/My%20Song.mp3");
        assertThat(r.headers().get("RANGE")).isEqualTo("bytes=0-99,bytes=5-"); // repeated: joined, then ignored as several ranges
        assertThat(request("GET /get/12/My Song.mp3 HTTP/1.0\n\n").target()).isEqualTo("/get/12/My Song.mp3");
        assertThat(HttpWire.target("/get/12/My%20Song.mp3")).isEqualTo(new HttpWire.Target(12, "My Song.mp3", null));
        assertThat(HttpWire.target("/get/12/My Song.mp3")).isEqualTo(new HttpWire.Target(12, "My Song.mp3", null));
        assertThat(HttpWire.target("/get/12/100%.txt")).isEqualTo(new HttpWire.Target(12, "100%.txt", null)); // a bare %: as it is
        assertThat(HttpWire.target("/get/12/a+b.txt")).isEqualTo(new HttpWire.Target(12, "a+b.txt", null)); // + is not a space in a path
        String sha1 = "PLSTHIPQGSSZTS5FJUPAKUZWUGYQYPFB";
        assertThat(HttpWire.target("/uri-res/N2R?urn:sha1:" + sha1)).isEqualTo(new HttpWire.Target(-1, null, sha1));
        assertThat(HttpWire.target("/uri-res/N2R?urn:sha1:short")).isNull();
        assertThat(HttpWire.target("/get/x/y")).isNull();
        assertThat(HttpWire.target("/get/99999999999/y")).isNull();
        assertThat(HttpWire.target("/index.html")).isNull();
        assertThat(HttpWire.encodeName("My Song (live).mp3")).isEqualTo("My%20Song%20%28live%29.mp3");
        for (String bad : new String[] {"GET\r\n\r\n", "GET /x\r\n\r\n", "get /x HTTP/1.1\r\n\r\n", "GET x HTTP/1.1\r\n\r\n",
                "GET /x HTTP/1.1\r\nno colon\r\n\r\n"}) {
            assertThatThrownBy(() -> request(bad)).as(bad).isInstanceOf(MalformedMessageException.class);
        }
    }

    @Test
    void rangesAsRfc9110ReadsThem() throws Exception {
        assertThat(HttpWire.range(null, 100)).isNull();
        assertThat(HttpWire.range("bytes=0-9", 100)).isEqualTo(new HttpWire.Range(0, 9));
        assertThat(HttpWire.range("bytes=90-", 100)).isEqualTo(new HttpWire.Range(90, 99));
        assertThat(HttpWire.range("bytes=90-500", 100)).isEqualTo(new HttpWire.Range(90, 99)); // cut to the file
        assertThat(HttpWire.range("bytes=-10", 100)).isEqualTo(new HttpWire.Range(90, 99));
        assertThat(HttpWire.range("bytes=-500", 100)).isEqualTo(new HttpWire.Range(0, 99));
        assertThat(HttpWire.range("Bytes = 5-6", 100)).isNull(); // not the form servents send: ignored, whole file
        assertThat(HttpWire.range("bytes=0-1,5-6", 100)).isNull(); // several: ignored
        assertThat(HttpWire.range("bytes=9-5", 100)).isNull(); // invalid: ignored
        assertThat(HttpWire.range("items=0-5", 100)).isNull();
        assertThat(HttpWire.range("bytes=x-5", 100)).isNull();
        assertThatThrownBy(() -> HttpWire.range("bytes=100-", 100)).isInstanceOf(HttpWire.Unsatisfiable.class);
        assertThatThrownBy(() -> HttpWire.range("bytes=100-200", 100)).isInstanceOf(HttpWire.Unsatisfiable.class);
        assertThatThrownBy(() -> HttpWire.range("bytes=-0", 100)).isInstanceOf(HttpWire.Unsatisfiable.class);
        assertThatThrownBy(() -> HttpWire.range("bytes=0-", 0)).isInstanceOf(HttpWire.Unsatisfiable.class);
    }

    @Test
    void givLinesRoundTrip() {
        Guid g = Guid.random(new Random(1));
        HttpWire.Giv giv = new HttpWire.Giv(7, g, "My Song.mp3");
        assertThat(giv.wire()).isEqualTo("GIV 7:" + g.hex() + "/My Song.mp3\n\n");
        assertThat(HttpWire.giv(giv.wire().strip())).isEqualTo(giv);
        for (String bad : new String[] {"GIV", "GIV 7:abc/x", "GIV x:" + g.hex() + "/n", "GIVE 7:" + g.hex() + "/n", "GIV 7:" + g.hex() + "n"}) {
            assertThatThrownBy(() -> HttpWire.giv(bad)).as(bad).isInstanceOf(MalformedMessageException.class);
        }
    }

    @Test
    void base32AsRfc4648() {
        assertThat(Base32.encode("".getBytes())).isEmpty();
        assertThat(Base32.encode("f".getBytes())).isEqualTo("MY");
        assertThat(Base32.encode("foobar".getBytes())).isEqualTo("MZXW6YTBOI");
        // the SHA-1 of the empty string, as HUGE writes it
        assertThat(Base32.encode(sha1(new byte[0]))).isEqualTo("3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
        assertThat(Base32.isSha1("3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ")).isTrue();
        assertThat(Base32.isSha1("3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBY1")).isFalse();
    }

    private static byte[] sha1(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-1").digest(b);
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
