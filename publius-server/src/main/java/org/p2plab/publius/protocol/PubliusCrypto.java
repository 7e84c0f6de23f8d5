package org.p2plab.publius.protocol;

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
 * {@code {M}K} is AES-256-GCM (a 12-byte random nonce, then the ciphertext and its 16-byte tag,
 * so a tampered copy fails to decrypt), H is SHA-256.
 */
public final class PubliusCrypto {

    public static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    /** What {@code {M}K} adds to M: nonce and tag. */
    public static final int OVERHEAD_BYTES = NONCE_BYTES + TAG_BITS / 8;

    private PubliusCrypto() {
    }

    public static byte[] newKey(SecureRandom random) {
        byte[] k = new byte[KEY_BYTES];
        random.nextBytes(k);
        return k;
    }

    /** {@code {M}K}: nonce || AES-256-GCM(K, nonce, M). */
    public static byte[] encrypt(byte[] key, byte[] plaintext, SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] out = new byte[NONCE_BYTES + c.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            c.doFinal(plaintext, 0, plaintext.length, out, NONCE_BYTES);
            return out;
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is available on every JDK", e);
        }
    }

    /** M, or empty if K is wrong or the ciphertext was changed (the GCM tag does not verify). */
    public static Optional<byte[]> decrypt(byte[] key, byte[] ciphertext) {
        if (key.length != KEY_BYTES || ciphertext.length < OVERHEAD_BYTES) {
            return Optional.empty();
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, ciphertext, 0, NONCE_BYTES));
            return Optional.of(c.doFinal(ciphertext, NONCE_BYTES, ciphertext.length - NONCE_BYTES));
        }
        catch (javax.crypto.AEADBadTagException e) {
            return Optional.empty();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is available on every JDK", e);
        }
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
