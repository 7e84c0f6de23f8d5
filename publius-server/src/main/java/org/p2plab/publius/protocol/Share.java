package org.p2plab.publius.protocol;

import java.util.Arrays;
import java.util.Base64;

/**
 * One Shamir share of the document key: its x coordinate (1..255) and the share bytes (as long
 * as the key). Written on the wire and in a server's directory as base64url (no padding) of
 * {@code [index][bytes]}, which is also what the name hashes ({@code H(M . share_i)}).
 */
public record Share(int index, byte[] value) {

    public Share {
        if (index < 1 || index > 255) {
            throw new IllegalArgumentException("a share index is 1..255, got " + index);
        }
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("a share has at least one byte");
        }
        value = value.clone();
    }

    /** {@code [index][value]}: what is hashed into the name and what the text form encodes. */
    public byte[] bytes() {
        byte[] b = new byte[value.length + 1];
        b[0] = (byte) index;
        System.arraycopy(value, 0, b, 1, value.length);
        return b;
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes());
    }

    /** The text form back; a malformed one (a corrupted or forged share) is an {@link IllegalArgumentException}. */
    public static Share decode(String text) {
        if (text == null || text.isBlank() || text.length() > 1024) {
            throw new IllegalArgumentException("not a share: empty or too long");
        }
        byte[] b;
        try {
            b = Base64.getUrlDecoder().decode(text.strip());
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a share: not base64url");
        }
        if (b.length < 2) {
            throw new IllegalArgumentException("not a share: too short");
        }
        return new Share(b[0] & 0xff, Arrays.copyOfRange(b, 1, b.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Share s && s.index == index && Arrays.equals(s.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * index + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Share[" + index + "]";
    }
}
