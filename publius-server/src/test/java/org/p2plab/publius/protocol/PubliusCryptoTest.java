package org.p2plab.publius.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PubliusCryptoTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SEG = PubliusCrypto.SEGMENT_BYTES;

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 65535, 65536, 65537, 3 * 65536, 200_000})
    void roundTripsAtEverySegmentBoundary(int size) {
        byte[] key = PubliusCrypto.newKey(RANDOM);
        byte[] m = bytes(size);
        byte[] c = PubliusCrypto.encrypt(key, m, RANDOM);
        assertThat((long) c.length).isEqualTo(PubliusCrypto.encryptedLength(size));
        assertThat(PubliusCrypto.decrypt(key, c)).hasValueSatisfying(p -> assertThat(p).isEqualTo(m));
        // the same M and K never give the same ciphertext (a fresh nonce prefix)
        assertThat(PubliusCrypto.encrypt(key, m, RANDOM)).isNotEqualTo(c);
    }

    @Test
    void aWrongKeyOrAnyChangedByteFails() {
        byte[] key = PubliusCrypto.newKey(RANDOM);
        byte[] c = PubliusCrypto.encrypt(key, bytes(150_000), RANDOM);
        assertThat(PubliusCrypto.decrypt(PubliusCrypto.newKey(RANDOM), c)).isEmpty();
        for (int at : new int[] {0, 6, 7, SEG, SEG + 16 + 7, c.length - 1}) {
            byte[] changed = c.clone();
            changed[at] ^= 1;
            assertThat(PubliusCrypto.decrypt(key, changed)).as("byte %d changed", at).isEmpty();
        }
    }

    @Test
    void droppedSwappedOrTruncatedSegmentsFail() {
        byte[] key = PubliusCrypto.newKey(RANDOM);
        byte[] c = PubliusCrypto.encrypt(key, bytes(3 * SEG), RANDOM);
        int seg = SEG + 16;
        int p = PubliusCrypto.PREFIX_BYTES;
        // the last segment dropped: what is left is a whole number of segments, but the new last one is not marked last
        assertThat(PubliusCrypto.decrypt(key, Arrays.copyOf(c, p + 2 * seg))).isEmpty();
        // segments 0 and 1 swapped
        byte[] swapped = c.clone();
        System.arraycopy(c, p, swapped, p + seg, seg);
        System.arraycopy(c, p + seg, swapped, p, seg);
        assertThat(PubliusCrypto.decrypt(key, swapped)).isEmpty();
        // cut inside a segment, or shorter than a tag
        assertThat(PubliusCrypto.decrypt(key, Arrays.copyOf(c, c.length - 5))).isEmpty();
        assertThat(PubliusCrypto.decrypt(key, Arrays.copyOf(c, 10))).isEmpty();
    }
}
