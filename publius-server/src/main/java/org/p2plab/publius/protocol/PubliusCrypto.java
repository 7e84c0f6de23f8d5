package org.p2plab.publius.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cryptography of Publius with today's primitives: the document key K is 256 random bits,
 * H is SHA-256, and {@code {M}K} is AES-256-GCM applied to M in segments of 64 KiB, the STREAM
 * construction (Hoang, Reyhanitabar, Rogaway and Vizár, CRYPTO 2015):
 *
 * <pre>
 * {M}K = prefix (7 random bytes) || GCM(K, nonce_0, M_0) || ... || GCM(K, nonce_last, M_last)
 * nonce_i = prefix || i (4 bytes, big-endian) || (1 if i is the last segment, else 0)
 * </pre>
 *
 * Each segment carries its own 16-byte tag, so a changed, reordered, dropped or truncated
 * segment fails to decrypt, and so does a wrong key, already at the first segment. Why segments
 * rather than one GCM call over the whole document: the JDK's AES-GCM runs at 40-200 MB/s
 * over one multi-megabyte call on the reference machine but above 1 GB/s over 64 KiB calls
 * once warm (measured in docs/publius-design.md), and a wrong key costs one segment, not the
 * whole file.
 */
public final class PubliusCrypto {

    public static final int KEY_BYTES = 32;
    static final int PREFIX_BYTES = 7;
    static final int SEGMENT_BYTES = 64 * 1024;
    static final int TAG_BYTES = 16;

    private PubliusCrypto() {
    }

    /** Bytes of {@code {M}K} for a document of {@code plaintextLength} bytes (at least 1). */
    public static long encryptedLength(long plaintextLength) {
        long segments = Math.max(1, (plaintextLength + SEGMENT_BYTES - 1) / SEGMENT_BYTES);
        return PREFIX_BYTES + plaintextLength + segments * TAG_BYTES;
    }

    public static byte[] newKey(SecureRandom random) {
        byte[] k = new byte[KEY_BYTES];
        random.nextBytes(k);
        return k;
    }

    /** {@code {M}K}, see the class comment. */
    public static byte[] encrypt(byte[] key, byte[] plaintext, SecureRandom random) {
        byte[] out = new byte[Math.toIntExact(encryptedLength(plaintext.length))];
        byte[] prefix = new byte[PREFIX_BYTES];
        random.nextBytes(prefix);
        System.arraycopy(prefix, 0, out, 0, PREFIX_BYTES);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            SecretKeySpec k = new SecretKeySpec(key, "AES");
            int in = 0;
            int at = PREFIX_BYTES;
            int segment = 0;
            do {
                int len = Math.min(SEGMENT_BYTES, plaintext.length - in);
                boolean last = in + len == plaintext.length;
                c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(TAG_BYTES * 8, nonce(prefix, segment, last)));
                at += c.doFinal(plaintext, in, len, out, at);
                in += len;
                segment++;
            } while (in < plaintext.length);
            return out;
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is available on every JDK", e);
        }
    }

    /** M, or empty if K is wrong or any segment was changed, moved or cut (its tag does not verify). */
    public static Optional<byte[]> decrypt(byte[] key, byte[] ciphertext) {
        if (key.length != KEY_BYTES || ciphertext.length < PREFIX_BYTES + TAG_BYTES) {
            return Optional.empty();
        }
        long segments = (ciphertext.length - PREFIX_BYTES + SEGMENT_BYTES + TAG_BYTES - 1) / (SEGMENT_BYTES + TAG_BYTES);
        long plainLength = ciphertext.length - PREFIX_BYTES - segments * TAG_BYTES;
        if (plainLength < 1 || encryptedLength(plainLength) != ciphertext.length) {
            return Optional.empty();
        }
        byte[] prefix = Arrays.copyOf(ciphertext, PREFIX_BYTES);
        byte[] out = new byte[(int) plainLength];
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            SecretKeySpec k = new SecretKeySpec(key, "AES");
            int at = PREFIX_BYTES;
            int written = 0;
            for (int segment = 0; segment < segments; segment++) {
                int len = Math.min(SEGMENT_BYTES + TAG_BYTES, ciphertext.length - at);
                boolean last = segment == segments - 1;
                c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(TAG_BYTES * 8, nonce(prefix, segment, last)));
                written += c.doFinal(ciphertext, at, len, out, written);
                at += len;
            }
            return Optional.of(out);
        }
        catch (javax.crypto.AEADBadTagException e) {
            return Optional.empty();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is available on every JDK", e);
        }
    }

    private static byte[] nonce(byte[] prefix, int segment, boolean last) {
        byte[] nonce = new byte[12];
        System.arraycopy(prefix, 0, nonce, 0, PREFIX_BYTES);
        nonce[7] = (byte) (segment >>> 24);
        nonce[8] = (byte) (segment >>> 16);
        nonce[9] = (byte) (segment >>> 8);
        nonce[10] = (byte) segment;
        nonce[11] = (byte) (last ? 1 : 0);
        return nonce;
    }

    /** {@code H(server_domain . PW)} as 64 hex digits: each server gets its own hash of the password. */
    public static String passwordHash(String serverDomain, String password) {
        MessageDigest h = sha256();
        h.update(serverDomain.getBytes(StandardCharsets.UTF_8));
        h.update((byte) '.');
        h.update(password.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(h.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is available on every JDK", e);
        }
    }

    /** A SHA-256 digest already fed with {@code content}. */
    public static MessageDigest sha256Of(byte[] content) {
        MessageDigest h = sha256();
        h.update(content);
        return h;
    }

    public static String sha256Hex(byte[] content) {
        return HexFormat.of().formatHex(sha256Of(content).digest());
    }

    /** SHA-256 of everything {@code in} yields, as hex, read in 64 KiB blocks. */
    public static String sha256Hex(InputStream in) throws IOException {
        MessageDigest h = sha256();
        byte[] buf = new byte[64 * 1024];
        for (int r; (r = in.read(buf)) > 0; ) {
            h.update(buf, 0, r);
        }
        return HexFormat.of().formatHex(h.digest());
    }

    /** A constant-time comparison of two hashes written as text. */
    public static boolean sameHash(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII),
                b.getBytes(StandardCharsets.US_ASCII));
    }

    /** A generated password: 128 random bits, base64url. */
    public static String newPassword(SecureRandom random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static void wipe(byte[] secret) {
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
