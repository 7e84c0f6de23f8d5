package org.p2plab.gnutella.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * QRP against the draft (Rohrs, v1.0): its hash test vectors (Appendix A, as LimeWire's
 * HashFunction test and gtk-gnutella's self-test carry them) and its Appendix B message bytes;
 * the receiver's rules; 100,000 mutated sequences.
 */
class QrpTest {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    @Test
    void theHashMatchesTheDraftsTestVectors() {
        Object[][] v = {
            {"", 13, 0}, {"eb", 13, 6791}, {"ebc", 13, 7082}, {"ebck", 13, 6698}, {"ebckl", 13, 3179}, {"ebcklm", 13, 3235},
            {"ebcklme", 13, 6438}, {"ebcklmen", 13, 1062}, {"ebcklmenq", 13, 3527},
            {"", 16, 0}, {"n", 16, 65003}, {"nd", 16, 54193}, {"ndf", 16, 4953}, {"ndfl", 16, 58201}, {"ndfla", 16, 34830},
            {"ndflal", 16, 36910}, {"ndflale", 16, 34586}, {"ndflalem", 16, 37658}, {"ndflaleme", 16, 45559},
            {"ol2j34lj", 10, 318}, {"asdfas23", 10, 503}, {"9um3o34fd", 10, 758}, {"a234d", 10, 281}, {"a3f", 10, 767},
            {"3nja9", 10, 581}, {"2459345938032343", 10, 146}, {"7777a88a8a8a8", 10, 342}, {"asdfjklkj3k", 10, 861},
            {"adfk32l", 10, 1011}, {"zzzzzzzzzzz", 10, 944},
            {"3NJA9", 10, 581}, {"3nJa9", 10, 581}, {"NDFLalem", 16, 37658}, // case does not matter
            {"\u30A2\u30CB\u30E1", 10, 46}, {"\u58F0\u512A", 10, 731}, {"\uD801\uDC00", 10, 316}, // UTF-16 units' low bytes
        };
        for (Object[] t : v) {
            assertThat(Qrp.hash((String) t[0], (int) t[1])).as("hash(%s, %d)", t[0], t[1]).isEqualTo(t[2]);
        }
        assertThat(Qrp.hash("test", 3)).isEqualTo(2);
    }

    @Test
    void theDraftsAppendixBMessages() {
        // an 8-entry table with "test" (slot 2): RESET, then a 4-bit PATCH; 4 bytes of table are not worth zlib
        List<byte[]> p = Qrp.Table.ofSlots(3, Qrp.hash("test", 3)).payloads();
        assertThat(p).hasSize(2);
        assertThat(p.get(0)).isEqualTo(hex("00 08 00 00 00 07"));
        assertThat(p.get(1)).isEqualTo(hex("01 01 01 00 04 00 a0 00 00"));

        // the receiver takes the draft's other forms of the same table: 8-bit, zlib, and split in two
        for (List<String> seq : List.of(List.of("01 01 01 00 08 00 00 fa 00 00 00 00 00"),
                List.of("01 01 01 01 04 78 9c 63 58 c0 c0 00 00 01 e4 00 a1"),
                List.of("01 01 02 00 04 00 a0", "01 02 02 00 04 00 00"))) {
            Qrp.Receiver r = new Qrp.Receiver();
            assertThat(r.onMessage(hex("00 08 00 00 00 07"))).isNull();
            Qrp.Table t = null;
            for (String m : seq) {
                t = r.onMessage(hex(m));
            }
            assertThat(t).as(seq.toString()).isNotNull();
            assertThat(t.size()).isEqualTo(8);
            assertThat(t.filled()).isEqualTo(1);
            assertThat(t.present(2)).isTrue();
            // and removing it again (+6), zlib, without a RESET
            assertThat(r.onMessage(hex("01 01 01 01 04 78 9c 63 48 60 60 00 00 01 24 00 61")).filled()).isZero();
        }
    }

    @Test
    void aTableOfFilesMatchesTheirWordsTheirStemsAndTheirUrns() {
        Library lib = new Library();
        Library.SharedFile f = lib.add("Beatles - Help.mp3", 100, "PLSTHIPQGSSZTS5FJUPAKUZWUGYQYPFB");
        Qrp.Table t = Qrp.Table.of(lib.all(), Qrp.DEFAULT_BITS);
        assertThat(t.matches(Library.words("beatles help"), List.of())).isTrue();
        assertThat(t.matches(Library.words("BEATLE"), List.of())).isTrue(); // a stem: the word less one character
        assertThat(t.matches(Library.words("beatles yesterday"), List.of())).isFalse();
        assertThat(t.matches(Set.of(), List.of())).isFalse();
        assertThat(t.matches(Set.of(), List.of(f.urn()))).isTrue();
        assertThat(t.matches(Library.words("yesterday"), List.of("urn:sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))).isFalse();
        assertThat(t.matches(Library.words("beatles"), List.of("urn:sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))).isTrue(); // by its words

        // what a leaf sends, an ultrapeer receives whole: 2^16 entries, one zlib PATCH
        List<byte[]> payloads = t.payloads();
        assertThat(payloads.get(1)[3]).isEqualTo((byte) 1);
        Qrp.Receiver r = new Qrp.Receiver();
        Qrp.Table got = null;
        for (byte[] p : payloads) {
            got = r.onMessage(p);
        }
        assertThat(got.size()).isEqualTo(65536);
        assertThat(got.filled()).isEqualTo(t.filled());
        assertThat(got.matches(Library.words("help beatles"), List.of())).isTrue();
    }

    @Test
    void aBigTableGoesInSeveralPatchesOfOneZlibStream() {
        Random random = new Random(5);
        int[] slots = random.ints(20_000, 0, 1 << 16).toArray();
        Qrp.Table t = Qrp.Table.ofSlots(16, slots);
        List<byte[]> payloads = t.payloads();
        assertThat(payloads.size()).isGreaterThan(3);
        Qrp.Receiver r = new Qrp.Receiver();
        Qrp.Table got = null;
        for (byte[] p : payloads) {
            got = r.onMessage(p);
        }
        for (int s : slots) {
            assertThat(got.present(s)).isTrue();
        }
        assertThat(got.filled()).isEqualTo(t.filled());
    }

    @Test
    void brokenSequencesAreRefused() {
        String[][] bad = {
            {"01 01 01 00 04 00 a0 00 00"},                                 // a PATCH before any RESET
            {"00 07 00 00 00 07"},                                          // not a power of 2
            {"00 00 00 00 01 07"},                                          // 2^24 entries: too big
            {"00 08 00 00 00 00"},                                          // infinity 0
            {"00 08 00 00 00"},                                             // a short RESET
            {"00 40 00 00 00 07", "01 02 02 00 04 00"},                     // starts at 2
            {"00 40 00 00 00 07", "01 01 01 02 04 00"},                     // compressor 2
            {"00 40 00 00 00 07", "01 01 01 00 05 00"},                     // entry bits 5
            {"00 40 00 00 00 07", "01 01 01 00 04 00"},                     // covers 2 of 64 entries
            {"00 40 00 00 00 07", "01 01 01 01 04 ff ff ff"},               // not zlib
            {"00 40 00 00 00 07", "01 01 02 00 04 00", "01 02 03 00 04 00"}, // the sequence size changes
            {"02"},                                                         // neither RESET nor PATCH
        };
        for (String[] seq : bad) {
            Qrp.Receiver r = new Qrp.Receiver();
            assertThatThrownBy(() -> {
                for (String m : seq) {
                    r.onMessage(hex(m));
                }
            }).as(String.join(" | ", seq)).isInstanceOf(MalformedMessageException.class);
        }
        // past the end: 64 entries are 32 bytes at 4 bits
        Qrp.Receiver r = new Qrp.Receiver();
        r.onMessage(hex("00 40 00 00 00 07"));
        assertThatThrownBy(() -> r.onMessage(concat(hex("01 01 01 00 04"), new byte[33]))).isInstanceOf(MalformedMessageException.class);
        // a zlib bomb: 2^21 entries of zeros inflate to 1 MB, more than a 64-entry table takes
        Qrp.Receiver z = new Qrp.Receiver();
        z.onMessage(hex("00 40 00 00 00 07"));
        assertThatThrownBy(() -> z.onMessage(concat(hex("01 01 01 01 04"), Qrp.deflate(new byte[1 << 20]))))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void hundredThousandMutatedSequencesFailOnlyAsMalformed() {
        Random random = new Random(20261125);
        Library lib = new Library();
        lib.add("some words for a table.txt", 1, null);
        List<byte[]> good = Qrp.Table.of(lib.all(), 8).payloads();
        int tables = 0;
        for (int i = 0; i < 100_000; i++) {
            Qrp.Receiver r = new Qrp.Receiver();
            try {
                for (byte[] p : good) {
                    byte[] m = p.clone();
                    if (random.nextInt(3) == 0 && m.length > 0) {
                        m[random.nextInt(m.length)] = (byte) random.nextInt(256);
                    }
                    if (random.nextInt(10) == 0) {
                        m = java.util.Arrays.copyOf(m, random.nextInt(m.length + 2));
                    }
                    if (r.onMessage(m) != null) {
                        tables++;
                    }
                }
            }
            catch (MalformedMessageException e) {
                // the documented failure
            }
        }
        assertThat(tables).isPositive();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
