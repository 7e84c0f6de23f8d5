package org.p2plab.publius.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PubliusUrlTest {

    private static final String TEN = "publius://1/k3n10/text%2Fplain/"
            + "00000000000000ff.0123456789abcdef.fedcba9876543210.1111111111111111.2222222222222222"
            + ".3333333333333333.4444444444444444.5555555555555555.6666666666666666.ffffffffffffffff";

    @Test
    void parsesEveryField() {
        PubliusUrl u = PubliusUrl.parse(TEN);
        assertThat(u.version()).isEqualTo(1);
        assertThat(u.k()).isEqualTo(3);
        assertThat(u.n()).isEqualTo(10);
        assertThat(u.noUpdate()).isFalse();
        assertThat(u.mimeType()).isEqualTo("text/plain");
        assertThat(u.names()).hasSize(10);
        assertThat(u.names().getFirst().value()).isEqualTo(255L);
        assertThat(u.names().getLast().value()).isEqualTo(-1L);
        assertThat(u.names().getLast().location(10)).isEqualTo(Long.remainderUnsigned(-1L, 10) + 1);
        assertThat(u.toString()).isEqualTo(TEN);
    }

    @Test
    void randomUrlsRoundTripExactly() {
        Random r = new Random(6);
        List<String> types = List.of("text/html; charset=utf-8", "application/vnd.oasis.opendocument.text",
                "image/svg+xml", "text/plain; format=\"flowed, fixed\"", "application/octet-stream");
        for (int t = 0; t < 500; t++) {
            int n = 2 + r.nextInt(40);
            int k = 2 + r.nextInt(n - 1);
            List<PubliusName> names = IntStream.range(0, n).mapToObj(i -> new PubliusName(r.nextLong())).toList();
            PubliusUrl u = new PubliusUrl(k, n, r.nextBoolean(), types.get(r.nextInt(types.size())), names);
            String text = u.toString();
            assertThat(text).matches("publius://1/k\\d+n\\d+(-noupdate)?/[A-Za-z0-9%._~-]+/[0-9a-f.]+");
            PubliusUrl back = PubliusUrl.parse(text);
            assertThat(back).isEqualTo(u);
            assertThat(back.toString()).isEqualTo(text);
        }
    }

    @Test
    void theNoUpdateFlagIsInTheUrl() {
        PubliusUrl u = PubliusUrl.parse(TEN.replace("k3n10", "k3n10-noupdate"));
        assertThat(u.noUpdate()).isTrue();
        assertThat(u.toString()).contains("/k3n10-noupdate/");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "http://1/k3n10/text%2Fplain/00000000000000ff",
            "publius://2/k2n2/text%2Fplain/00000000000000ff.00000000000000fe",
            "publius://1/k2n2/text%2Fplain/00000000000000ff",                      // fewer names than n
            "publius://1/k2n2/text%2Fplain/00000000000000ff.00000000000000fe.00000000000000fd",
            "publius://1/k3n2/text%2Fplain/00000000000000ff.00000000000000fe",    // k > n
            "publius://1/k1n2/text%2Fplain/00000000000000ff.00000000000000fe",    // k < 2
            "publius://1/k02n2/text%2Fplain/00000000000000ff.00000000000000fe",   // leading zero
            "publius://1/k2n256/text%2Fplain/00000000000000ff.00000000000000fe",  // n > 255
            "publius://1/n2k2/text%2Fplain/00000000000000ff.00000000000000fe",
            "publius://1/k2n2-update/text%2Fplain/00000000000000ff.00000000000000fe",
            "publius://1/k2n2/text%2fplain/00000000000000ff.00000000000000fe",    // lower-case hex
            "publius://1/k2n2/text%2/00000000000000ff.00000000000000fe",          // broken escape
            "publius://1/k2n2/text%20plain/00000000000000ff.00000000000000fe",    // not a media type
            "publius://1/k2n2/text+plain/00000000000000ff.00000000000000fe",
            "publius://1/k2n2/text%2Fplain/00000000000000FF.00000000000000fe",    // upper-case name
            "publius://1/k2n2/text%2Fplain/00000000000000f.00000000000000fe",     // 15 digits
            "publius://1/k2n2/text%2Fplain/00000000000000ff..00000000000000fe",
            "publius://1/k2n2/text%2Fplain/00000000000000ff.00000000000000fe/",
            "publius://1/k2n2/text%2Fplain/00000000000000ff.00000000000000fe?x=1",
            " publius://1/k2n2/text%2Fplain/00000000000000ff.00000000000000fe"})
    void rejectsAnythingElse(String bad) {
        assertThatThrownBy(() -> PubliusUrl.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null");
    }

    @Test
    void locationsAreNameModMPlusOne() {
        assertThat(new PubliusName(0).location(10)).isEqualTo(1);
        assertThat(new PubliusName(9).location(10)).isEqualTo(10);
        assertThat(new PubliusName(10).location(10)).isEqualTo(1);
        // unsigned: 2^64 - 1 = 18446744073709551615, mod 10 = 5
        assertThat(new PubliusName(-1L).location(10)).isEqualTo(6);
    }
}
